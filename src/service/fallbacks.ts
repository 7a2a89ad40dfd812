/**
 * The answers our extension tools give, computed from task-mcp's own `list_tasks` rows, for backends
 * without them (the Python task-mcp, or the embedded server with TASK_MCP_STRICT=true). Each function
 * mirrors one extension tool of src/taskmcp/tools/ and must give the same answer: `tagCountsOf` and
 * `dependentsOf` mirror list_tags and get_task_dependents (extensions.ts), `queryTasksOf` query_tasks
 * (query-tasks.ts), `queryEntitiesOf` and `entityStatsOf` query_entities and get_entity_stats
 * (query-entities.ts), `taskGraphOf` get_task_graph (graph.ts). test/api/query-api.test.ts and
 * test/mcp/transports.test.ts run every read against a strict backend and compare.
 */
import { CLOSED_STATUSES } from '../domain/vocabulary.js';
import { toIntArray, toTags } from './adapter.js';
import { END_OF_MILLISECOND, compareNoCase, likeContains, toStoredLocalTime } from './task-mcp-text.js';
import type { Row } from './tool-backend.js';

/** Mirrors `list_tags`: tags of active tasks with the number of tasks carrying each; most used first, then by name. */
export function tagCountsOf(all: Row[]): Array<{ tag: string; count: number }> {
  const counts = new Map<string, number>();
  for (const task of all) for (const tag of new Set(toTags(task.tags))) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

/** Mirrors `get_task_dependents`: for each wanted id, the ascending ids of the tasks listing it in depends_on. */
export function dependentsOf(all: Row[], wanted: readonly number[]): Record<string, number[]> {
  const want = new Set(wanted);
  const dependents: Record<string, number[]> = {};
  for (const task of all) {
    for (const dep of toIntArray(task.depends_on)) if (want.has(dep)) (dependents[dep] ??= []).push(Number(task.id));
  }
  for (const list of Object.values(dependents)) list.sort((a, b) => a - b);
  return dependents;
}


/** The arguments of the `query_tasks` extension tool (docs/task-mcp-compatibility.md, "Extension tools"). */
export interface QueryTasksArgs {
  workspace_path: string;
  status?: string[];
  priority?: string[];
  parent_task_id?: number;
  ids?: number[];
  entity_id?: number;
  tags?: string[];
  q?: string;
  ready?: boolean;
  is_blocker?: boolean;
  has_subtasks?: boolean;
  created_by?: string;
  created_after?: string;
  created_before?: string;
  updated_after?: string;
  updated_before?: string;
  updated_since?: string;
  sort?: string[];
  limit: number;
  offset: number;
  include_counts?: boolean;
}

export interface Counts {
  by_status: Record<string, number>;
  by_priority: Record<string, number>;
}

/** What `query_tasks` returns: rows with `subtask_count`, `subtask_done_count` and `dependents`. */
export interface QueryTasksResult {
  total_count: number;
  items: Row[];
  counts?: Counts;
  project_counts?: Counts & { total: number };
}

const STATUS_RANK: Record<string, number> = { todo: 0, in_progress: 1, blocked: 2, done: 3, cancelled: 4, to_be_deleted: 5 };
const PRIORITY_ORDER: Record<string, number> = { low: 0, medium: 1, high: 2 };

function countsOf(rows: Row[]): Counts {
  const counts: Counts = { by_status: {}, by_priority: {} };
  for (const r of rows) {
    counts.by_status[String(r.status)] = (counts.by_status[String(r.status)] ?? 0) + 1;
    counts.by_priority[String(r.priority)] = (counts.by_priority[String(r.priority)] ?? 0) + 1;
  }
  return counts;
}

type Compare = (a: Row, b: Row) => number;

/** Sorts by `keys`, then by id: the tie-break that makes every order stable across pages. */
function sortRows(rows: Row[], keys: readonly string[], comparatorFor: (key: string) => Compare): void {
  const comparators = keys.map(comparatorFor);
  if (!keys.some((k) => k.replace(/^-/, '') === 'id')) comparators.push(comparatorOf('id'));
  rows.sort((a, b) => {
    for (const c of comparators) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    return 0;
  });
}

function comparatorOf(key: string): Compare {
  const desc = key.startsWith('-');
  const name = desc ? key.slice(1) : key;
  const dir = desc ? -1 : 1;
  switch (name) {
    case 'priority':
      return (a, b) => dir * ((PRIORITY_ORDER[String(a.priority ?? 'medium')] ?? 1) - (PRIORITY_ORDER[String(b.priority ?? 'medium')] ?? 1));
    case 'status':
      return (a, b) => dir * ((STATUS_RANK[String(a.status)] ?? 99) - (STATUS_RANK[String(b.status)] ?? 99));
    case 'title':
      return (a, b) => dir * compareNoCase(String(a.title ?? ''), String(b.title ?? ''));
    case 'id':
      return (a, b) => dir * (Number(a.id) - Number(b.id));
    case 'link_created_at':
    default:
      // Timestamps compare as stored strings; a missing one sorts last whichever the direction.
      return (a, b) => {
        const x = a[name];
        const y = b[name];
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return dir * (String(x) < String(y) ? -1 : 1);
      };
  }
}

/** Mirrors `query_tasks` over every active task of the project (and, with `entity_id`, its linked rows). */
export function queryTasksOf(all: Row[], args: QueryTasksArgs, linked?: Row[]): QueryTasksResult {
  const byId = new Map(all.map((t) => [Number(t.id), t]));
  const children = new Map<number, Row[]>();
  for (const t of all) if (typeof t.parent_task_id === 'number') (children.get(t.parent_task_id) ?? children.set(t.parent_task_id, []).get(t.parent_task_id)!).push(t);
  const dependents = dependentsOf(all, [...byId.keys()]);
  const depsOf = (t: Row) => dependents[String(t.id)] ?? [];
  const ready = (t: Row) => t.status === 'todo' && toIntArray(t.depends_on).every((d) => (byId.get(d)?.status ?? 'done') === 'done');
  const blocker = (t: Row) => !CLOSED_STATUSES.has(String(t.status)) && depsOf(t).length > 0;
  const bound = (iso: string | undefined) => (iso === undefined ? undefined : toStoredLocalTime(iso));
  const [cb, ub, us] = [args.created_before, args.updated_before, args.updated_since].map(bound);
  // "After" a millisecond means after all of its microseconds.
  const [ca, ua] = [args.created_after, args.updated_after].map((b) => (b === undefined ? undefined : bound(b) + END_OF_MILLISECOND));
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const wantedTags = args.tags?.map((t) => t.toLowerCase());
  const idSet = args.ids ? new Set(args.ids) : undefined;

  const source = linked ?? all;
  const matches = source.filter((t) => {
    if (args.status && !args.status.includes(String(t.status))) return false;
    if (args.priority && !args.priority.includes(String(t.priority))) return false;
    if (args.parent_task_id !== undefined && t.parent_task_id !== args.parent_task_id) return false;
    if (idSet && !idSet.has(Number(t.id))) return false;
    if (wantedTags) {
      const own = new Set(toTags(t.tags));
      if (!wantedTags.every((w) => own.has(w))) return false;
    }
    if (args.q !== undefined && !likeContains(t.title, args.q) && !likeContains(t.description, args.q)) return false;
    if (args.ready !== undefined && ready(t) !== args.ready) return false;
    if (args.is_blocker !== undefined && blocker(t) !== args.is_blocker) return false;
    if (args.has_subtasks !== undefined && (children.get(Number(t.id))?.length ?? 0) > 0 !== args.has_subtasks) return false;
    if (args.created_by !== undefined && t.created_by !== args.created_by) return false;
    const created = str(t.created_at);
    const updated = str(t.updated_at);
    if (ca !== undefined && !(created !== undefined && created > ca)) return false;
    if (cb !== undefined && !(created !== undefined && created < cb)) return false;
    if (ua !== undefined && !(updated !== undefined && updated > ua)) return false;
    if (ub !== undefined && !(updated !== undefined && updated < ub)) return false;
    if (us !== undefined && !(updated !== undefined && updated >= us)) return false;
    return true;
  });

  const keys = args.sort?.length ? args.sort : [linked ? '-link_created_at' : '-created_at'];
  sortRows(matches, keys, comparatorOf);

  const items = matches.slice(args.offset, args.offset + args.limit).map((t) => {
    const kids = children.get(Number(t.id)) ?? [];
    return { ...t, subtask_count: kids.length, subtask_done_count: kids.filter((k) => k.status === 'done').length, dependents: depsOf(t) };
  });
  const result: QueryTasksResult = { total_count: matches.length, items };
  if (args.include_counts !== false) {
    result.counts = countsOf(matches);
    result.project_counts = { total: all.length, ...countsOf(all) };
  }
  return result;
}

/** The arguments of the `query_entities` extension tool. */
export interface QueryEntitiesArgs {
  workspace_path: string;
  entity_type?: string;
  tags?: string[];
  q?: string;
  ids?: number[];
  sort?: string[];
  limit: number;
  offset: number;
}

function entityComparatorOf(key: string): Compare {
  const desc = key.startsWith('-');
  const name = desc ? key.slice(1) : key;
  if (name === 'name') return (a, b) => (desc ? -1 : 1) * compareNoCase(String(a.name ?? ''), String(b.name ?? ''));
  if (name === 'entity_type') return (a, b) => (desc ? -1 : 1) * compareNoCase(String(a.entity_type ?? ''), String(b.entity_type ?? ''));
  return comparatorOf(key);
}

/**
 * Mirrors `query_entities` over every active entity (rows as `list_entities` details returns them);
 * `linked_tasks_count` is added by the caller for the page only (it needs one call per entity).
 */
export function queryEntitiesOf(all: Row[], args: QueryEntitiesArgs): { total_count: number; items: Row[] } {
  const wantedTags = args.tags?.map((t) => t.toLowerCase());
  const idSet = args.ids ? new Set(args.ids) : undefined;
  const matches = all.filter((e) => {
    if (args.entity_type !== undefined && e.entity_type !== args.entity_type) return false;
    if (idSet && !idSet.has(Number(e.id))) return false;
    if (wantedTags) {
      const own = new Set(toTags(e.tags));
      if (!wantedTags.every((w) => own.has(w))) return false;
    }
    if (args.q !== undefined && !likeContains(e.name, args.q) && !likeContains(e.identifier, args.q)) return false;
    return true;
  });
  const keys = args.sort?.length ? args.sort : ['-created_at'];
  sortRows(matches, keys, entityComparatorOf);
  return { total_count: matches.length, items: matches.slice(args.offset, args.offset + args.limit) };
}

/** Mirrors `get_entity_stats`: counts by type and tag counts of active entities. */
export function entityStatsOf(all: Row[]): { total: number; by_type: Record<string, number>; tags: Array<{ tag: string; count: number }> } {
  const byType: Record<string, number> = {};
  for (const e of all) byType[String(e.entity_type)] = (byType[String(e.entity_type)] ?? 0) + 1;
  return { total: all.length, by_type: byType, tags: tagCountsOf(all) };
}

/** The result of the `get_task_graph` extension tool. */
export interface TaskGraphResult {
  nodes: Array<{ id: number; title: string; status: string; priority: string; parent_task_id: number | null; depends_on: number[] }>;
  edges: Array<{ source: number; target: number; type: 'depends_on' | 'parent' }>;
  total_nodes: number;
  truncated: boolean;
  root_task_id: number | null;
}

/** Mirrors `get_task_graph`: the project's (or a subtree's) tasks as nodes, dependencies and parent links as edges. */
export function taskGraphOf(all: Row[], args: { root_task_id?: number; status?: string[]; max_nodes: number }): TaskGraphResult | undefined {
  let members: Row[];
  if (args.root_task_id === undefined) {
    members = [...all].sort((a, b) => Number(a.id) - Number(b.id));
  } else {
    const root = all.find((t) => Number(t.id) === args.root_task_id);
    if (!root) return undefined;
    const children = new Map<number, Row[]>();
    for (const t of all) if (typeof t.parent_task_id === 'number') (children.get(t.parent_task_id) ?? children.set(t.parent_task_id, []).get(t.parent_task_id)!).push(t);
    // Breadth-first, children by id; the seen set bounds the walk if parent links form a cycle.
    members = [];
    const seen = new Set<number>();
    for (let queue = [root]; queue.length; ) {
      const next: Row[] = [];
      for (const t of queue) {
        if (seen.has(Number(t.id))) continue;
        seen.add(Number(t.id));
        members.push(t);
        next.push(...(children.get(Number(t.id)) ?? []).sort((a, b) => Number(a.id) - Number(b.id)));
      }
      queue = next;
    }
  }
  if (args.status) members = members.filter((t) => args.status!.includes(String(t.status)));
  const kept = members.slice(0, args.max_nodes);
  const ids = new Set(kept.map((t) => Number(t.id)));
  const edges: TaskGraphResult['edges'] = [];
  for (const t of kept) {
    for (const dep of toIntArray(t.depends_on)) if (ids.has(dep)) edges.push({ source: Number(t.id), target: dep, type: 'depends_on' });
    if (typeof t.parent_task_id === 'number' && ids.has(t.parent_task_id)) edges.push({ source: t.parent_task_id, target: Number(t.id), type: 'parent' });
  }
  return {
    nodes: kept.map((t) => ({
      id: Number(t.id),
      title: String(t.title ?? ''),
      status: String(t.status),
      priority: String(t.priority ?? 'medium'),
      parent_task_id: typeof t.parent_task_id === 'number' ? t.parent_task_id : null,
      depends_on: toIntArray(t.depends_on),
    })),
    edges,
    total_nodes: members.length,
    truncated: members.length > kept.length,
    root_task_id: args.root_task_id ?? null,
  };
}
