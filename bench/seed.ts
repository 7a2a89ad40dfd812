/**
 * Seeds a temporary task-mcp store fast: SQLite files written directly with better-sqlite3, using the
 * embedded server's own schema code (src/taskmcp/schema.ts) and id/path rules (src/taskmcp/paths.ts),
 * one transaction per database. The service then reads them exactly like task-mcp data.
 *
 * The data is deterministic (seeded PRNG) and varied like a real project: all six statuses, three
 * priorities, 0-3 tags, subtasks, `depends_on` JSON text, blocker reasons, descriptions of varying
 * length, file references, soft-deleted rows, entities and task-entity links.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { hash8, resolveWorkspacePath } from '../src/taskmcp/paths.js';
import { masterDbPath, projectDbPath } from '../src/taskmcp/paths.js';
import { pyJsonDumps } from '../src/taskmcp/pytext.js';
import { initMasterSchema, initProjectSchema } from '../src/taskmcp/schema.js';

export interface ProjectSpec {
  /** Directory name of the workspace, e.g. "proj-10k". */
  name: string;
  tasks: number;
}

export interface SeededProject {
  name: string;
  workspacePath: string;
  projectId: string;
  tasks: number;
  /** Ids of live (not deleted) tasks, ascending. */
  liveIds: number[];
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');
/** task-mcp's timestamp form: local wall clock, no offset, 6-digit microseconds. */
function localIso(ms: number, micros: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}` +
    `.${String(d.getMilliseconds() * 1000 + micros).padStart(6, '0')}`
  );
}

const VERBS = ['Implement', 'Fix', 'Refactor', 'Document', 'Test', 'Review', 'Design', 'Migrate', 'Optimize', 'Remove', 'Add', 'Investigate'];
const THINGS = [
  'login flow', 'session cache', 'billing export', 'search index', 'user settings page', 'rate limiter', 'audit log',
  'CSV import', 'webhook retries', 'dark mode', 'password reset', 'API pagination', 'report scheduler', 'SSO callback',
  'email templates', 'feature flags', 'metrics dashboard', 'mobile layout', 'database backup', 'onboarding wizard',
];
const WORDS = (
  'the service should handle errors gracefully and log enough context to debug production issues while keeping ' +
  'latency low for every user request we also need tests for edge cases like empty input unicode names very long ' +
  'descriptions and concurrent updates from several clients make sure the migration is reversible and documented ' +
  'check the login page on mobile the cache must be invalidated after writes and the metrics exported for alerts'
).split(' ');
const TAGS = ['backend', 'frontend', 'api', 'bug', 'feature', 'docs', 'testing', 'security', 'perf', 'ux', 'infra', 'db', 'mobile', 'urgent', 'tech-debt', 'release'];
const STATUS_WEIGHTS: Array<[string, number]> = [['todo', 35], ['in_progress', 15], ['blocked', 5], ['done', 35], ['cancelled', 7], ['to_be_deleted', 3]];
const PRIORITY_WEIGHTS: Array<[string, number]> = [['low', 25], ['medium', 50], ['high', 25]];
const SESSIONS = ['2f1c0a4e-6b1d-4c7e-9a55-0e3f1b7d9c21', 'a8d3e915-40c2-4f6b-8e1a-5c7b2d9f0e34', 'key_3b9c1e7a5d20'];

function weighted(rand: () => number, table: Array<[string, number]>): string {
  const total = table.reduce((n, [, w]) => n + w, 0);
  let x = rand() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1]![0];
}

function sentence(rand: () => number, minWords: number, maxWords: number): string {
  const n = minWords + Math.floor(rand() * (maxWords - minWords + 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

function seedProject(home: string, workspacePath: string, id: string, count: number, seed: number): number[] {
  const rand = prng(seed);
  const db = new Database(projectDbPath(home, id));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const liveIds: number[] = [];
  try {
    db.transaction(() => {
      initProjectSchema(db);
      const insert = db.prepare(
        `INSERT INTO tasks (id, title, description, status, priority, parent_task_id, depends_on, tags, blocker_reason,
           file_references, created_by, created_at, updated_at, completed_at, deleted_at, workspace_metadata)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const metadata = pyJsonDumps({ workspace_path: workspacePath, git_root: null, cwd_at_creation: workspacePath, project_name: path.basename(workspacePath) });
      // Spread creation over the last year, in id order (like real use), with jitter.
      const end = Date.now() - 60_000;
      const start = end - 365 * 86_400_000;
      const step = (end - start) / count;
      for (let i = 1; i <= count; i++) {
        const created = Math.floor(start + (i - 1) * step + rand() * step * 0.9);
        const updated = Math.min(end, created + Math.floor(rand() * 30 * 86_400_000 * rand()));
        const status = weighted(rand, STATUS_WEIGHTS);
        const tagCount = rand() < 0.15 ? 0 : 1 + Math.floor(rand() * 3);
        const tags = new Set<string>();
        while (tags.size < tagCount) tags.add(TAGS[Math.floor(rand() * TAGS.length)]!);
        const deps = new Set<number>();
        if (i > 5 && rand() < 0.25) {
          const n = 1 + Math.floor(rand() * 3);
          while (deps.size < n) deps.add(1 + Math.floor(rand() * (i - 1)));
        }
        const files = rand() < 0.2 ? [`src/${THINGS[Math.floor(rand() * THINGS.length)]!.replace(/ /g, '-')}.ts`] : [];
        const deleted = rand() < 0.02;
        if (!deleted) liveIds.push(i);
        insert.run(
          i,
          `${VERBS[Math.floor(rand() * VERBS.length)]} ${THINGS[Math.floor(rand() * THINGS.length)]} #${i}`,
          rand() < 0.8 ? Array.from({ length: 1 + Math.floor(rand() * 6) }, () => sentence(rand, 4, 20)).join(' ') : null,
          status,
          weighted(rand, PRIORITY_WEIGHTS),
          i > 10 && rand() < 0.2 ? 1 + Math.floor(rand() * (i - 1)) : null,
          deps.size ? pyJsonDumps([...deps]) : null,
          tags.size ? [...tags].join(' ') : null,
          status === 'blocked' ? sentence(rand, 3, 10) : null,
          files.length ? pyJsonDumps(files) : null,
          SESSIONS[i % SESSIONS.length],
          localIso(created, i % 1000),
          localIso(updated, i % 1000),
          status === 'done' ? localIso(updated, i % 1000) : null,
          deleted ? localIso(updated + 1000, 0) : null,
          metadata,
        );
      }
      // Entities (one per 20 tasks, at most 2,000) and links to a few tasks each.
      const entityCount = Math.min(2000, Math.max(2, Math.floor(count / 20)));
      const insertEntity = db.prepare(
        `INSERT INTO entities (id, entity_type, name, identifier, description, metadata, tags, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertLink = db.prepare('INSERT OR IGNORE INTO task_entity_links (task_id, entity_id, created_by, created_at) VALUES (?, ?, ?, ?)');
      for (let e = 1; e <= entityCount; e++) {
        const isFile = rand() < 0.7;
        const at = localIso(start + Math.floor(rand() * (end - start)), e % 1000);
        insertEntity.run(
          e, isFile ? 'file' : 'other', isFile ? `Module ${e}` : `Vendor ${e}`, isFile ? `src/module-${e}.ts` : `VENDOR-${e}`,
          sentence(rand, 3, 12), isFile ? pyJsonDumps({ language: 'ts', lines: Math.floor(rand() * 900) }) : null,
          TAGS[e % TAGS.length], SESSIONS[e % SESSIONS.length], at, at,
        );
        for (let k = 0; k < 3; k++) insertLink.run(1 + Math.floor(rand() * count), e, SESSIONS[0], at);
      }
    })();
  } finally {
    db.close();
  }
  return liveIds;
}

/** Creates `home` (master.db + databases/) with one project per spec; workspaces are real directories under `root`. */
export function seedStore(home: string, root: string, specs: ProjectSpec[]): SeededProject[] {
  mkdirSync(path.join(home, 'databases'), { recursive: true });
  const projects: SeededProject[] = [];
  const master = new Database(masterDbPath(home));
  try {
    master.pragma('journal_mode = WAL');
    const now = localIso(Date.now(), 0);
    master.transaction(() => {
      initMasterSchema(master);
      const insert = master.prepare('INSERT INTO projects (id, workspace_path, friendly_name, created_at, last_accessed) VALUES (?, ?, ?, ?, ?)');
      specs.forEach((spec, i) => {
        const dir = path.join(root, spec.name);
        mkdirSync(dir, { recursive: true });
        const workspacePath = resolveWorkspacePath(dir);
        const projectId = hash8(workspacePath);
        insert.run(projectId, workspacePath, `Bench ${spec.name} (${spec.tasks} tasks)`, now, now);
        const liveIds = seedProject(home, workspacePath, projectId, spec.tasks, 1234 + i);
        projects.push({ name: spec.name, workspacePath, projectId, tasks: spec.tasks, liveIds });
      });
    })();
  } finally {
    master.close();
  }
  return projects;
}
