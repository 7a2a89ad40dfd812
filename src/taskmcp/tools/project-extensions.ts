/**
 * list_project_summaries and register_project (EXTENSION; docs/task-mcp-compatibility.md). Summaries
 * read every registered project's task counts without creating missing database files and without
 * holding one connection per project: each count is memoized on the file's identity, size and mtime
 * (database and WAL), and recomputed while the file changed within the last second, because file times
 * are coarse (the "racy timestamp" rule git uses for its index).
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { hash8, projectDbPath } from '../paths.js';
import { PROJECT_COLUMNS, allProjects, type ProjectRow } from '../registry.js';
import type { Store } from '../store.js';
import { nowIso } from '../timestamps.js';
import { P, defineTool, resolveWs } from './common.js';

interface Summary {
  total: number;
  byStatus: Record<string, number>;
}

interface CachedSummary extends Summary {
  key: string;
  /** Computed while the files were still changing: do not trust the key. */
  racy: boolean;
}

const RACY_MS = 1000;
const summaries = new WeakMap<Store, Map<string, CachedSummary>>();

function fileKey(file: string): { key: string; newestMs: number } | null {
  const db = statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!db) return null;
  const wal = statSync(`${file}-wal`, { bigint: true, throwIfNoEntry: false });
  const key = `${db.dev}:${db.ino}:${db.size}:${db.mtimeNs}|${wal ? `${wal.ino}:${wal.size}:${wal.mtimeNs}` : '-'}`;
  const newestMs = Number((wal && wal.mtimeNs > db.mtimeNs ? wal.mtimeNs : db.mtimeNs) / 1_000_000n);
  return { key, newestMs };
}

function countTasks(file: string): Summary {
  // A short-lived read-only connection: never creates the file, never joins the LRU of working connections.
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const byStatus: Record<string, number> = {};
    let total = 0;
    const hasTasks = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tasks'").get();
    if (hasTasks) {
      for (const r of db.prepare('SELECT status AS k, COUNT(*) AS n FROM tasks WHERE deleted_at IS NULL GROUP BY status ORDER BY status').all() as Array<{ k: string; n: number }>) {
        byStatus[String(r.k)] = r.n;
        total += r.n;
      }
    }
    return { total, byStatus };
  } finally {
    db.close();
  }
}

function summaryOf(store: Store, id: string): Summary {
  let cache = summaries.get(store);
  if (!cache) summaries.set(store, (cache = new Map()));
  const file = projectDbPath(store.home, id);
  const before = fileKey(file);
  if (!before) {
    cache.delete(id);
    return { total: 0, byStatus: {} };
  }
  const hit = cache.get(id);
  if (hit && !hit.racy && hit.key === before.key) return hit;
  const now = Date.now();
  const counted = countTasks(file);
  const after = fileKey(file);
  const racy = !after || after.key !== before.key || now - after.newestMs < RACY_MS;
  const entry = { ...counted, key: after?.key ?? '', racy };
  cache.set(id, entry);
  return entry;
}

const listProjectSummaries = defineTool({
  name: 'list_project_summaries',
  family: 'B',
  description:
    '[EXTENSION, not in task-mcp] Every registered project as list_projects returns it (same order), plus "total_tasks" and ' +
    '"by_status" (active tasks; zero counts omitted). Creates no database files.',
  params: [],
  run(_a, ctx) {
    return allProjects(ctx.store).map((p) => {
      const s = summaryOf(ctx.store, p.id);
      return { ...p, total_tasks: s.total, by_status: { ...s.byStatus } };
    });
  },
});

const registerProject = defineTool({
  name: 'register_project',
  family: 'A',
  description:
    '[EXTENSION, not in task-mcp] Register a workspace (with friendly_name when given) like task-mcp does on a write; an already ' +
    'registered project is returned unchanged. Returns {"project": {...}, "created": bool}.',
  params: [P.ws, P.optStr('friendly_name')],
  async run(a, ctx) {
    const resolved = resolveWs(a.workspace_path);
    const id = hash8(resolved);
    const m = ctx.store.master();
    return m.write(() => {
      const now = nowIso();
      const created = m.run(
        'INSERT OR IGNORE INTO projects (id, workspace_path, friendly_name, created_at, last_accessed) VALUES (?, ?, ?, ?, ?)',
        id, resolved, a.friendly_name, now, now,
      ).changes === 1;
      const project = m.get<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ?`, id);
      return { project, created };
    });
  },
});

export const projectExtensionTools = [listProjectSummaries, registerProject];
