/**
 * SQL functions the tools call, registered once per connection (openForRead/openForWrite):
 * - tv_like(value, term): `value LIKE '%term%'` in linear time (search.ts).
 * - tv_has_tag(tags, tag): the tag string, normalised as task-mcp stores it (Python lower() + split()),
 *   contains `tag` (already lowercased) as a whole tag. JS, because SQLite's lower() folds ASCII only.
 * - tv_has_dependents(id): some active task depends on `id`, looked up in the connection's dependents
 *   index (dependents.ts) instead of a json_each scan of the whole project per query.
 */
import { pyLower, pySplit } from '../pytext.js';
import type { Connection } from '../store.js';
import { dependentsIndex } from './dependents.js';
import { likeMatcher } from './search.js';

const TAG_CACHE_MAX = 2048;
const tagSets = new Map<string, Set<string>>();

function tagSet(tags: string): Set<string> {
  let set = tagSets.get(tags);
  if (!set) {
    if (tagSets.size >= TAG_CACHE_MAX) tagSets.clear();
    set = new Set(pySplit(pyLower(tags)));
    tagSets.set(tags, set);
  }
  return set;
}

interface QueryFunctions {
  /** Point tv_has_dependents at the current dependents index (call inside the read, before querying). */
  refreshDependents(): void;
}

const registered = new WeakMap<Connection, QueryFunctions>();

export function queryFunctions(db: Connection): QueryFunctions {
  let fns = registered.get(db);
  if (fns) return fns;
  let byDep = new Map<number, number[]>();
  db.db.function('tv_like', { deterministic: true }, (value: unknown, term: unknown) => (likeMatcher(String(term))(value) ? 1 : 0));
  db.db.function('tv_has_tag', { deterministic: true }, (tags: unknown, tag: unknown) =>
    typeof tags === 'string' && typeof tag === 'string' && tagSet(tags).has(tag) ? 1 : 0);
  db.db.function('tv_has_dependents', { deterministic: false }, (id: unknown) => (typeof id === 'number' && byDep.has(id) ? 1 : 0));
  fns = {
    refreshDependents() {
      byDep = dependentsIndex(db).byDep;
    },
  };
  registered.set(db, fns);
  return fns;
}
