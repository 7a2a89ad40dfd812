/**
 * The reverse dependency index of a project: for each task id, the ascending ids of the active tasks whose
 * depends_on contains it. Built with one json_each scan; this connection's own task writes patch it (so a
 * create does not rebuild a whole project), and a commit by any other process rebuilds it.
 */
import type { Connection } from '../store.js';

/** depends_on as json_each input: anything but a JSON array counts as [] (as task-mcp's lenient parse). */
export const DEPENDS_ON_ARRAY = "CASE WHEN json_valid(t.depends_on) THEN CASE WHEN json_type(t.depends_on) = 'array' THEN t.depends_on ELSE '[]' END ELSE '[]' END";

export interface DependentsIndex {
  /** dependency id -> ascending ids of active tasks depending on it */
  byDep: Map<number, number[]>;
  /** active task id -> its distinct integer dependency ids */
  depsOf: Map<number, number[]>;
}

function insertSorted(list: number[], id: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== id) list.splice(lo, 0, id);
}

function add(index: DependentsIndex, id: number, dep: number): void {
  const list = index.byDep.get(dep);
  if (list) insertSorted(list, id);
  else index.byDep.set(dep, [id]);
}

export function dependentsIndex(db: Connection): DependentsIndex {
  return db.incremental<DependentsIndex>('task_dependents_index', {
    build() {
      const index: DependentsIndex = { byDep: new Map(), depsOf: new Map() };
      const rows = db.all<{ id: number; dep: number }>(
        `SELECT DISTINCT t.id AS id, j.value AS dep FROM tasks t, json_each(${DEPENDS_ON_ARRAY}) j
         WHERE t.deleted_at IS NULL AND t.depends_on IS NOT NULL AND j.type = 'integer'
         ORDER BY t.id ASC`,
      );
      for (const r of rows) {
        const list = index.byDep.get(r.dep);
        if (list) list.push(r.id);
        else index.byDep.set(r.dep, [r.id]);
        const deps = index.depsOf.get(r.id);
        if (deps) deps.push(r.dep);
        else index.depsOf.set(r.id, [r.dep]);
      }
      return index;
    },
    patch(index, changed) {
      for (const id of changed) {
        for (const dep of index.depsOf.get(id) ?? []) {
          const list = index.byDep.get(dep)!;
          list.splice(list.indexOf(id), 1);
          if (!list.length) index.byDep.delete(dep);
        }
        index.depsOf.delete(id);
        const deps = db.column<number>(
          `SELECT DISTINCT j.value FROM tasks t, json_each(${DEPENDS_ON_ARRAY}) j WHERE t.id = ? AND t.deleted_at IS NULL AND j.type = 'integer'`, id);
        if (!deps.length) continue;
        index.depsOf.set(id, deps);
        for (const dep of deps) add(index, id, dep);
      }
    },
  });
}

/** Ascending ids of active tasks depending on `id` (a fresh array). */
export function dependentsOf(index: DependentsIndex, id: number): number[] {
  return [...(index.byDep.get(id) ?? [])];
}
