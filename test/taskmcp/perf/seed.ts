/** Fast seeding for the measurement scripts: rows written straight into SQLite with the server's own schema. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { hash8, masterDbPath, projectDbPath, resolveWorkspacePath } from '../../../src/taskmcp/paths.js';
import { initMasterSchema, initProjectSchema } from '../../../src/taskmcp/schema.js';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the service should handle errors gracefully and log enough context to debug production issues while keeping latency low ' +
  'for every user request we also need tests for edge cases like empty input unicode names very long descriptions and concurrent ' +
  'updates from several clients make sure the migration is reversible and documented').split(' ');

export function text(rand: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) s += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
  return s.slice(0, chars);
}

const STATUSES = ['todo', 'in_progress', 'blocked', 'done', 'cancelled'];
const PRIORITIES = ['low', 'medium', 'high'];
const p2 = (n: number) => String(n).padStart(2, '0');
function localIso(ms: number, micros: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds() * 1000 + micros).padStart(6, '0')}`;
}

export interface SeedOptions {
  tasks: number;
  descriptionChars?: number;
  /** Descriptions of one repeated letter instead of words. */
  repetitive?: boolean;
  /** Share of tasks with 1-3 depends_on ids (default 0.25). */
  dependsShare?: number;
  seed?: number;
}

/** A registered project under `root` with `tasks` rows; returns its resolved workspace path. */
export function seedProject(home: string, root: string, name: string, opts: SeedOptions): string {
  const rand = prng(opts.seed ?? 42);
  const ws = resolveWorkspacePath(path.join(root, name));
  mkdirSync(ws, { recursive: true });
  mkdirSync(path.join(home, 'databases'), { recursive: true });
  const id = hash8(ws);
  const master = new Database(masterDbPath(home));
  master.pragma('journal_mode = WAL');
  initMasterSchema(master);
  const now = localIso(Date.now(), 0);
  master.prepare('INSERT OR IGNORE INTO projects (id, workspace_path, friendly_name, created_at, last_accessed) VALUES (?, ?, ?, ?, ?)').run(id, ws, name, now, now);
  master.close();
  const db = new Database(projectDbPath(home, id));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    initProjectSchema(db);
    const ins = db.prepare(`INSERT INTO tasks (title, description, status, priority, parent_task_id, depends_on, tags, created_by, created_at, updated_at, completed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const start = Date.now() - 365 * 86_400_000;
    for (let i = 1; i <= opts.tasks; i++) {
      const created = start + Math.floor((i / opts.tasks) * 364 * 86_400_000);
      const status = STATUSES[Math.floor(rand() * STATUSES.length)];
      const deps = i > 5 && rand() < (opts.dependsShare ?? 0.25) ? `[${Array.from({ length: 1 + Math.floor(rand() * 3) }, () => 1 + Math.floor(rand() * (i - 1))).join(', ')}]` : null;
      ins.run(`task ${i} ${text(rand, 30)}`, opts.descriptionChars ? (opts.repetitive ? 'x'.repeat(opts.descriptionChars) : text(rand, opts.descriptionChars)) : text(rand, 200), status, PRIORITIES[Math.floor(rand() * 3)],
        i > 10 && rand() < 0.2 ? 1 + Math.floor(rand() * (i - 1)) : null, deps, rand() < 0.5 ? 'backend api' : 'docs', 'perf',
        localIso(created, i % 1000), localIso(created + Math.floor(rand() * 86_400_000), i % 1000), status === 'done' ? localIso(created, 0) : null);
    }
  })();
  db.close();
  return ws;
}
