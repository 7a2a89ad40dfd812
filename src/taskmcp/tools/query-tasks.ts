/**
 * query_tasks (EXTENSION): one call for a page of tasks with any combination of filters, a multi-key sort,
 * per-task subtask counts and dependents, and counts over the filtered set and the whole project. The
 * exact contract is in docs/task-mcp-compatibility.md, "query_tasks"; `queryTasksOf` in
 * src/service/fallbacks.ts gives the same answer on backends without this tool (keep both in step). Pages come from the idx_tvapi_*
 * indexes (schema.ts), whole-set aggregates are memoized until the database changes, so a sorted page costs
 * about the same at 100k tasks as at 1k.
 */
import { PydanticError, ToolError, valueError, type PydanticLine } from '../errors.js';
import { pyLower } from '../pytext.js';
import type { Connection, Row } from '../store.js';
import { PRIORITY_RANK, STATUS_RANK } from '../schema.js';
import { localIsoFromInstant } from '../timestamps.js';
import { P, defineTool, openForRead } from './common.js';
import { DEPENDS_ON_ARRAY, dependentsIndex, dependentsOf } from './dependents.js';
import { activeEntity } from './entities.js';
import { projectCounts } from './projects.js';
import { likeFilter, type SqlFilter } from './search.js';
import { queryFunctions } from './sql-functions.js';

export const TASK_SORT_KEYS = ['priority', 'status', 'created_at', 'updated_at', 'completed_at', 'title', 'id'] as const;
type TaskSortKey = (typeof TASK_SORT_KEYS)[number];

export interface SortTerm<K extends string> {
  key: K;
  desc: boolean;
}

/** `["-priority", "created_at"]` -> terms; unknown or repeated keys are value errors on `sort`. */
export function parseSort<K extends string>(sort: string[] | null, keys: readonly K[], lines: PydanticLine[]): SortTerm<K>[] {
  const terms: SortTerm<K>[] = [];
  for (const raw of sort ?? []) {
    const desc = raw.startsWith('-');
    const key = (desc ? raw.slice(1) : raw) as K;
    if (!keys.includes(key)) {
      lines.push(valueError('sort', `unknown sort key '${raw}'; use ${keys.join(', ')}, each optionally prefixed with '-'`, sort));
    } else if (terms.some((t) => t.key === key)) {
      lines.push(valueError('sort', `sort key '${key}' is given twice`, sort));
    } else {
      terms.push({ key, desc });
    }
  }
  return terms;
}

/** An ISO 8601 instant parameter as the stored local timestamp form, or a value error on it. */
function instant(name: string, value: string | null, lines: PydanticLine[]): string | null {
  if (value === null) return null;
  const local = localIsoFromInstant(value);
  if (local === null) lines.push(valueError(name, `${name} must be an ISO 8601 date-time with a UTC offset or Z, e.g. 2025-01-31T12:00:00Z`, value));
  return local;
}

const T_PRIORITY_RANK = PRIORITY_RANK.replace('priority', 't.priority');
const T_STATUS_RANK = STATUS_RANK.replace('status', 't.status');

/** ORDER BY text for one key. Timestamps put NULLs last both ways (NULL is smallest, so DESC already does). */
function orderTerm(term: SortTerm<TaskSortKey>): string {
  const dir = term.desc ? 'DESC' : 'ASC';
  switch (term.key) {
    case 'priority': return `${T_PRIORITY_RANK} ${dir}`;
    case 'status': return `${T_STATUS_RANK} ${dir}`;
    case 'title': return `t.title COLLATE NOCASE ${dir}`;
    case 'id': return `t.id ${dir}`;
    default: return term.desc ? `t.${term.key} DESC` : `(t.${term.key} IS NULL), t.${term.key} ASC`;
  }
}

/** `col IN (…)`; a single value as `=` so the per-status indexes apply; an empty list matches nothing. */
function anyOf(col: string, values: string[], where: string[], params: unknown[]): void {
  if (values.length === 0) where.push('0');
  else if (values.length === 1) (where.push(`${col} = ?`), params.push(values[0]));
  else (where.push(`${col} IN (${values.map(() => '?').join(', ')})`), params.push(...values));
}

// NOT INDEXED: without it SQLite may probe d through idx_deleted (every live row) instead of its rowid.
const READY = `(t.status = 'todo' AND NOT EXISTS (
  SELECT 1 FROM json_each(${DEPENDS_ON_ARRAY}) j JOIN tasks d NOT INDEXED ON d.id = j.value
  WHERE (j.type = 'integer' OR (j.type = 'real' AND j.value = CAST(j.value AS INTEGER))) AND d.deleted_at IS NULL AND d.status != 'done'))`;
const IS_BLOCKER = "(t.status NOT IN ('done', 'cancelled') AND tv_has_dependents(t.id))";
const HAS_SUBTASKS = '(EXISTS (SELECT 1 FROM tasks c WHERE c.parent_task_id = t.id AND c.deleted_at IS NULL))';

const flag = (sql: string, value: boolean | null, where: string[]) => {
  if (value !== null) where.push(value ? sql : `NOT ${sql}`);
};

interface Counts {
  total: number;
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
}

/** Counts keyed like get_project_info's (ascending, only present values). */
function groupedCounts(rows: Array<{ s: string | null; p: string | null; n: number }>): Counts {
  const byStatus: Record<string, number> = {};
  const byPriority: Record<string, number> = {};
  let total = 0;
  const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const r of rows) {
    total += r.n;
    byStatus[String(r.s)] = (byStatus[String(r.s)] ?? 0) + r.n;
    byPriority[String(r.p)] = (byPriority[String(r.p)] ?? 0) + r.n;
  }
  return { total, byStatus: sorted(byStatus), byPriority: sorted(byPriority) };
}

function subtaskCounts(db: Connection, ids: number[]): Map<number, { n: number; done: number }> {
  const out = new Map<number, { n: number; done: number }>();
  if (!ids.length) return out;
  for (const r of db.all<{ p: number; n: number; d: number }>(
    `SELECT parent_task_id AS p, COUNT(*) AS n, SUM(status = 'done') AS d FROM tasks INDEXED BY idx_parent
     WHERE deleted_at IS NULL AND parent_task_id IN (SELECT value FROM json_each(?)) GROUP BY parent_task_id`, JSON.stringify(ids))) {
    out.set(r.p, { n: r.n, done: r.d });
  }
  return out;
}

export interface TaskFilters {
  status: string[] | null;
  priority: string[] | null;
  parent_task_id: number | null;
  ids: number[] | null;
  entity_id: number | null;
  tags: string[] | null;
  q: string | null;
  ready: boolean | null;
  is_blocker: boolean | null;
  has_subtasks: boolean | null;
  created_by: string | null;
  sort: string[] | null;
}

export interface TaskBounds {
  createdAfter: string | null;
  createdBefore: string | null;
  updatedAfter: string | null;
  updatedBefore: string | null;
  updatedSince: string | null;
}

/** The FROM, WHERE and ORDER BY of a query_tasks call (`t` = tasks, `l` = the entity's links). */
export function taskQuerySql(a: TaskFilters, bounds: TaskBounds, sortTerms: SortTerm<TaskSortKey>[]) {
  const where = ['t.deleted_at IS NULL'];
  const params: unknown[] = [];
  // Without statistics SQLite prefers an ordered scan of a sort index; for small selective sets a direct
  // lookup and a sort of the few rows is far cheaper, so those plans are pinned.
  let tasks = 'tasks t';
  if (a.ids !== null) tasks = 'tasks t NOT INDEXED'; // rowid lookups
  else if (a.parent_task_id !== null) tasks = 'tasks t INDEXED BY idx_parent';
  let from = tasks;
  if (a.entity_id !== null) {
    from = `task_entity_links l CROSS JOIN ${tasks} ON t.id = l.task_id AND l.deleted_at IS NULL AND l.entity_id = ?`;
    params.push(a.entity_id);
  }
  if (a.status !== null) anyOf('t.status', a.status, where, params);
  if (a.priority !== null) anyOf('t.priority', a.priority, where, params);
  if (a.parent_task_id !== null) (where.push('t.parent_task_id = ?'), params.push(a.parent_task_id));
  if (a.ids !== null) (where.push('t.id IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(a.ids)));
  for (const tag of a.tags ?? []) (where.push('tv_has_tag(t.tags, ?)'), params.push(pyLower(tag)));
  if (a.q !== null) {
    const like: SqlFilter = likeFilter(a.q, ['t.title', 't.description']);
    where.push(like.sql);
    params.push(...like.params);
  }
  flag(READY, a.ready, where);
  flag(IS_BLOCKER, a.is_blocker, where);
  flag(HAS_SUBTASKS, a.has_subtasks, where);
  if (a.created_by !== null) (where.push('t.created_by = ?'), params.push(a.created_by));
  // Bounds compare at millisecond precision, the precision clients see: the stored values carry
  // microseconds, so "after" a millisecond means above all of its microseconds (`.mmm999`), "before"
  // below its first (`.mmm`, a prefix), and "since" from its first on. A task's own created_at as
  // `created_after` therefore excludes the task.
  const ms = (b: string) => b.slice(0, 23);
  if (bounds.createdAfter !== null) (where.push('t.created_at > ?'), params.push(`${ms(bounds.createdAfter)}999`));
  if (bounds.createdBefore !== null) (where.push('t.created_at < ?'), params.push(ms(bounds.createdBefore)));
  if (bounds.updatedAfter !== null) (where.push('t.updated_at > ?'), params.push(`${ms(bounds.updatedAfter)}999`));
  if (bounds.updatedBefore !== null) (where.push('t.updated_at < ?'), params.push(ms(bounds.updatedBefore)));
  if (bounds.updatedSince !== null) (where.push('t.updated_at >= ?'), params.push(ms(bounds.updatedSince)));

  // A key that a one-value filter holds constant changes nothing; dropping it lets an index serve the order.
  let terms = sortTerms;
  if (a.status?.length === 1) terms = terms.filter((t) => t.key !== 'status');
  if (a.priority?.length === 1) terms = terms.filter((t) => t.key !== 'priority');
  let order: string;
  if (!a.sort?.length) order = a.entity_id !== null ? 'l.created_at DESC, t.id ASC' : 't.created_at DESC, t.id ASC';
  else order = [...terms.map(orderTerm), ...(terms.some((t) => t.key === 'id') ? [] : ['t.id ASC'])].join(', ');
  return { from, cond: where.join(' AND '), params, order };
}

const queryTasks = defineTool({
  name: 'query_tasks',
  family: 'json',
  description:
    '[EXTENSION, not in task-mcp] A page of full task rows with filters (status/priority any-of, parent, ids, entity, whole tags, ' +
    'q substring, ready, is_blocker, has_subtasks, created_by, date ranges), a multi-key sort, subtask counts and dependents per ' +
    'task, and counts over the filtered set and the whole project. Result: {total_count, limit, offset, items, counts, project_counts}.',
  params: [
    P.ws,
    P.opt('status', 'str_list'), P.opt('priority', 'str_list'), P.optInt('parent_task_id'),
    { name: 'ids', kind: 'int_list', nullable: true, default: null, maxItems: 1000 },
    P.optInt('entity_id'), P.opt('tags', 'str_list'), P.optStr('q'),
    P.opt('ready', 'bool'), P.opt('is_blocker', 'bool'), P.opt('has_subtasks', 'bool'), P.optStr('created_by'),
    P.optStr('created_after'), P.optStr('created_before'), P.optStr('updated_after'), P.optStr('updated_before'), P.optStr('updated_since'),
    P.opt('sort', 'str_list'),
    { name: 'limit', kind: 'int', default: 50, ge: 1, le: 1000 }, { name: 'offset', kind: 'int', default: 0, ge: 0 },
    P.def('include_counts', 'bool', true),
  ],
  async run(a, ctx) {
    const lines: PydanticLine[] = [];
    const createdAfter = instant('created_after', a.created_after, lines);
    const createdBefore = instant('created_before', a.created_before, lines);
    const updatedAfter = instant('updated_after', a.updated_after, lines);
    const updatedBefore = instant('updated_before', a.updated_before, lines);
    const updatedSince = instant('updated_since', a.updated_since, lines);
    const terms = parseSort(a.sort, TASK_SORT_KEYS, lines);
    if (lines.length) throw new PydanticError('call[query_tasks]', lines);

    const { db } = openForRead(ctx, a.workspace_path);
    const { from, cond, params, order } = taskQuerySql(a, { createdAfter, createdBefore, updatedAfter, updatedBefore, updatedSince }, terms);

    return db.read(() => {
      if (a.entity_id !== null && !activeEntity(db, a.entity_id)) throw new ToolError(`Entity ${a.entity_id} not found or has been deleted`);
      const fns = queryFunctions(db);
      if (a.is_blocker !== null) fns.refreshDependents();
      const key = `${from} WHERE ${cond}:${JSON.stringify(params)}`;
      const linkCols = a.entity_id !== null ? ', l.created_at AS link_created_at, l.created_by AS link_created_by' : '';
      const rows = db.all(`SELECT t.*${linkCols} FROM ${from} WHERE ${cond} ORDER BY ${order} LIMIT ? OFFSET ?`, ...params, a.limit, a.offset);

      let counts: Counts | undefined;
      let total: number;
      if (a.include_counts) {
        counts = db.memo(`qt-counts:${key}`, () =>
          groupedCounts(db.all(`SELECT t.status AS s, t.priority AS p, COUNT(*) AS n FROM ${from} WHERE ${cond} GROUP BY t.status, t.priority`, ...params)));
        total = counts.total;
      } else {
        total = db.memo(`qt-total:${key}`, () => db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} WHERE ${cond}`, ...params)!.n);
      }

      const ids = rows.map((r) => r.id as number);
      const subtasks = subtaskCounts(db, ids);
      const index = dependentsIndex(db);
      const items = rows.map((r) => {
        const s = subtasks.get(r.id as number);
        const extra = { subtask_count: s?.n ?? 0, subtask_done_count: s?.done ?? 0, dependents: dependentsOf(index, r.id as number) };
        if (a.entity_id === null) return Object.assign(r, extra); // fresh row objects: extend in place (a profile hot spot)
        const { link_created_at, link_created_by, ...task } = r; // the link fields go last
        return { ...task, ...extra, link_created_at, link_created_by };
      });

      const out: Row = { total_count: total, limit: a.limit, offset: a.offset, items };
      if (counts) {
        const project = projectCounts(db);
        out.counts = { by_status: counts.byStatus, by_priority: counts.byPriority };
        out.project_counts = { total: project.total, by_status: { ...project.byStatus }, by_priority: { ...project.byPriority } };
      }
      return out;
    });
  },
});

export const queryTaskTools = [queryTasks];
