/**
 * query_entities and get_entity_stats (EXTENSION; docs/task-mcp-compatibility.md, "query_entities" and
 * "get_entity_stats"): a filtered, sorted page of entity rows with their linked-task counts, and the
 * counts by type and whole tag of a project's active entities. Their twins for backends without them:
 * `queryEntitiesOf` and `entityStatsOf` in src/service/fallbacks.ts (keep both in step).
 */
import { PydanticError, type PydanticLine } from '../errors.js';
import { pyLower } from '../pytext.js';
import type { Connection, Row } from '../store.js';
import { P, defineTool, openForRead } from './common.js';
import { tagCounts } from './extensions.js';
import { parseSort, type SortTerm } from './query-tasks.js';
import { likeFilter } from './search.js';
import { queryFunctions } from './sql-functions.js';

export const ENTITY_SORT_KEYS = ['name', 'entity_type', 'created_at', 'updated_at', 'id'] as const;
type EntitySortKey = (typeof ENTITY_SORT_KEYS)[number];

function orderTerm(term: SortTerm<EntitySortKey>): string {
  const dir = term.desc ? 'DESC' : 'ASC';
  switch (term.key) {
    case 'name': return `e.name COLLATE NOCASE ${dir}`;
    case 'entity_type': return `e.entity_type ${dir}`;
    case 'id': return `e.id ${dir}`;
    default: return term.desc ? `e.${term.key} DESC` : `(e.${term.key} IS NULL), e.${term.key} ASC`;
  }
}

/** Active links to active tasks, per entity id. */
function linkedTaskCounts(db: Connection, ids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  if (!ids.length) return out;
  for (const r of db.all<{ e: number; n: number }>(
    `SELECT l.entity_id AS e, COUNT(*) AS n FROM task_entity_links l INDEXED BY idx_link_entity JOIN tasks t ON t.id = l.task_id
     WHERE l.deleted_at IS NULL AND t.deleted_at IS NULL AND l.entity_id IN (SELECT value FROM json_each(?)) GROUP BY l.entity_id`,
    JSON.stringify(ids))) {
    out.set(r.e, r.n);
  }
  return out;
}

const queryEntities = defineTool({
  name: 'query_entities',
  family: 'json',
  description:
    '[EXTENSION, not in task-mcp] A page of full entity rows (plus linked_tasks_count) filtered by entity_type, whole tags, q ' +
    '(name or identifier substring) and ids, sorted by name, entity_type, created_at, updated_at or id. ' +
    'Result: {total_count, limit, offset, items}.',
  params: [
    P.ws, P.optStr('entity_type'), P.opt('tags', 'str_list'), P.optStr('q'),
    { name: 'ids', kind: 'int_list', nullable: true, default: null, maxItems: 1000 }, P.opt('sort', 'str_list'),
    { name: 'limit', kind: 'int', default: 50, ge: 1, le: 1000 }, { name: 'offset', kind: 'int', default: 0, ge: 0 },
  ],
  async run(a, ctx) {
    const lines: PydanticLine[] = [];
    const terms = parseSort(a.sort, ENTITY_SORT_KEYS, lines);
    if (lines.length) throw new PydanticError('call[query_entities]', lines);
    const { db } = openForRead(ctx, a.workspace_path);
    const where = ['e.deleted_at IS NULL'];
    const params: unknown[] = [];
    if (a.entity_type !== null) (where.push('e.entity_type = ?'), params.push(a.entity_type));
    for (const tag of a.tags ?? []) (where.push('tv_has_tag(e.tags, ?)'), params.push(pyLower(tag)));
    if (a.q !== null) {
      const like = likeFilter(a.q, ['e.name', 'e.identifier']);
      where.push(like.sql);
      params.push(...like.params);
    }
    if (a.ids !== null) (where.push('e.id IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(a.ids)));
    const from = a.ids !== null ? 'entities e NOT INDEXED' : 'entities e'; // rowid lookups, as in query_tasks
    const order = terms.length
      ? [...terms.map(orderTerm), ...(terms.some((t) => t.key === 'id') ? [] : ['e.id ASC'])].join(', ')
      : 'e.created_at DESC, e.id ASC';
    const cond = where.join(' AND ');
    return db.read(() => {
      queryFunctions(db);
      const rows = db.all(`SELECT e.* FROM ${from} WHERE ${cond} ORDER BY ${order} LIMIT ? OFFSET ?`, ...params, a.limit, a.offset);
      const total = db.memo(`qe-total:${cond}:${JSON.stringify(params)}`, () => db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} WHERE ${cond}`, ...params)!.n);
      const linked = linkedTaskCounts(db, rows.map((r) => r.id as number));
      const items = rows.map((r): Row => ({ ...r, linked_tasks_count: linked.get(r.id as number) ?? 0 }));
      return { total_count: total, limit: a.limit, offset: a.offset, items };
    });
  },
});

const getEntityStats = defineTool({
  name: 'get_entity_stats',
  family: 'A',
  description:
    '[EXTENSION, not in task-mcp] Counts of active entities: {"total", "by_type": {type: n}, "tags": [{"tag", "count"}]} ' +
    '(tags: whole tags, count desc then tag asc).',
  params: [P.ws],
  async run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    return db.read(() => {
      const stats = db.memo('entity_stats', () => {
        const byType: Record<string, number> = {};
        let total = 0;
        for (const r of db.all<{ k: string; n: number }>('SELECT entity_type AS k, COUNT(*) AS n FROM entities WHERE deleted_at IS NULL GROUP BY entity_type ORDER BY entity_type')) {
          byType[String(r.k)] = r.n;
          total += r.n;
        }
        const tags = tagCounts(db.column<string>("SELECT tags FROM entities WHERE deleted_at IS NULL AND tags IS NOT NULL AND tags != ''"));
        return { total, by_type: byType, tags };
      });
      return { total: stats.total, by_type: { ...stats.by_type }, tags: stats.tags.map((t) => ({ ...t })) };
    });
  },
});

export const entityQueryTools = [queryEntities, getEntityStats];
