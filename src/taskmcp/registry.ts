/**
 * The master registry (`master.db`, table `projects`). Writes register the way task-mcp does (REG: insert
 * the row or bump `last_accessed`); reads only look the project up and never wait for the registry:
 * `last_accessed` is bumped at most once a minute per project and process, after the reply, and skipped
 * when another connection holds the lock. See docs/task-mcp-compatibility.md, "Registration".
 */
import { hash8 } from './paths.js';
import type { Store } from './store.js';
import { nowIso } from './timestamps.js';

export const PROJECT_COLUMNS = 'id, workspace_path, friendly_name, created_at, last_accessed';

export interface ProjectRow {
  id: string;
  workspace_path: string;
  friendly_name: string | null;
  created_at: string | null;
  last_accessed: string | null;
  [key: string]: unknown;
}

/** How often a read may bump one project's last_accessed. */
export const TOUCH_INTERVAL_MS = 60_000;

/** REG: insert the project row or bump last_accessed (never changes path or name). One short statement. */
export async function register(store: Store, resolved: string): Promise<string> {
  const id = hash8(resolved);
  const m = store.master();
  const now = nowIso();
  await m.write(() => {
    m.run(
      `INSERT INTO projects (id, workspace_path, created_at, last_accessed) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET last_accessed = excluded.last_accessed`,
      id, resolved, now, now,
    );
  });
  store.accessTouches.set(id, Date.now());
  return id;
}

/** The registered project, or undefined (also when master.db does not exist). Never writes. */
export function findProject(store: Store, id: string): ProjectRow | undefined {
  return store.masterIfExists()?.get<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ?`, id);
}

export function allProjects(store: Store): ProjectRow[] {
  return store.masterIfExists()?.all<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects ORDER BY last_accessed DESC`) ?? [];
}

/** A read used this registered project: bump last_accessed later, at most once per TOUCH_INTERVAL_MS. */
export function touchLater(store: Store, id: string): void {
  const last = store.accessTouches.get(id);
  const now = Date.now();
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
  store.accessTouches.set(id, now);
  setImmediate(() => {
    try {
      const m = store.masterIfExists();
      if (!m) return;
      // Not waited for: when the registry is locked (another process mid-write), this touch is skipped.
      if (!m.tryWriteNow('UPDATE projects SET last_accessed = ? WHERE id = ?', nowIso(), id)) store.accessTouches.delete(id);
    } catch {
      store.accessTouches.delete(id); // a closed store or a file fault: a later read tries again
    }
  });
}
