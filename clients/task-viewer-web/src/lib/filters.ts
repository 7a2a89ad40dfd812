/**
 * The task filters of the list and the board: read from and written to the URL, turned into the
 * `GET /api/v1/tasks` query (every filter runs on the server), and the quick views.
 */
import { TASK_SORT_KEYS, type TaskSortField, parseTaskSort } from 'task-viewer-client';
import { PRIORITIES, type Priority, STATUSES, type ListTasksQuery, type TaskStatus } from './types';

export type TriState = 'yes' | 'no' | undefined;

export interface TaskFilters {
  status: TaskStatus[];
  priority: Priority[];
  tags: string[];
  q: string;
  ready: TriState;
  isBlocker: TriState;
  hasSubtasks: TriState;
  /** Dates as `YYYY-MM-DD` (local days, inclusive). */
  createdFrom: string;
  createdTo: string;
  updatedFrom: string;
  updatedTo: string;
  sort: TaskSortField[];
}

export const EMPTY_FILTERS: TaskFilters = {
  status: [],
  priority: [],
  tags: [],
  q: '',
  ready: undefined,
  isBlocker: undefined,
  hasSubtasks: undefined,
  createdFrom: '',
  createdTo: '',
  updatedFrom: '',
  updatedTo: '',
  sort: [],
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const list = (value: string | null) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);
const tri = (value: string | null): TriState => (value === '1' || value === 'true' ? 'yes' : value === '0' || value === 'false' ? 'no' : undefined);
const day = (value: string | null) => (value && DAY.test(value) ? value : '');

export function filtersFromParams(params: URLSearchParams): TaskFilters {
  return {
    status: list(params.get('status')).filter((s): s is TaskStatus => (STATUSES as readonly string[]).includes(s)),
    priority: list(params.get('priority')).filter((p): p is Priority => (PRIORITIES as readonly string[]).includes(p)),
    tags: list(params.get('tags')).map((t) => t.toLowerCase()),
    q: params.get('q') ?? '',
    ready: tri(params.get('ready')),
    isBlocker: tri(params.get('is_blocker')),
    hasSubtasks: tri(params.get('has_subtasks')),
    createdFrom: day(params.get('created_from')),
    createdTo: day(params.get('created_to')),
    updatedFrom: day(params.get('updated_from')),
    updatedTo: day(params.get('updated_to')),
    sort: parseTaskSort(params.get('sort')),
  };
}

const FILTER_KEYS = ['status', 'priority', 'tags', 'q', 'ready', 'is_blocker', 'has_subtasks', 'created_from', 'created_to', 'updated_from', 'updated_to', 'sort'] as const;

/** `params` with the filter keys replaced by `filters` (other keys, e.g. the selected task, are kept). */
export function filtersToParams(filters: TaskFilters, params = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FILTER_KEYS) next.delete(key);
  const set = (key: string, value: string) => value && next.set(key, value);
  const triText = (t: TriState) => (t === 'yes' ? '1' : t === 'no' ? '0' : '');
  set('q', filters.q.trim());
  set('status', filters.status.join(','));
  set('priority', filters.priority.join(','));
  set('tags', filters.tags.join(','));
  set('ready', triText(filters.ready));
  set('is_blocker', triText(filters.isBlocker));
  set('has_subtasks', triText(filters.hasSubtasks));
  set('created_from', filters.createdFrom);
  set('created_to', filters.createdTo);
  set('updated_from', filters.updatedFrom);
  set('updated_to', filters.updatedTo);
  set('sort', filters.sort.join(','));
  return next;
}

/** The start of a local day as an ISO instant; `offsetDays` 1 gives the end of that day. */
export function dayStart(dayText: string, offsetDays = 0): string {
  const [y, m, d] = dayText.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + offsetDays).toISOString();
}

const triBool = (t: TriState) => (t === 'yes' ? true : t === 'no' ? false : undefined);

/** The `GET /api/v1/tasks` (and `/tasks/export`) query for these filters; empty filters are left out. */
export function toListQuery(filters: TaskFilters, projectId: string): ListTasksQuery {
  const query: ListTasksQuery = { project_id: projectId };
  if (filters.status.length) query.status = filters.status;
  if (filters.priority.length) query.priority = filters.priority;
  if (filters.tags.length) query.tag = filters.tags;
  const q = filters.q.trim();
  if (q) query.q = q;
  const ready = triBool(filters.ready);
  if (ready !== undefined) query.ready = ready;
  const isBlocker = triBool(filters.isBlocker);
  if (isBlocker !== undefined) query.is_blocker = isBlocker;
  const hasSubtasks = triBool(filters.hasSubtasks);
  if (hasSubtasks !== undefined) query.has_subtasks = hasSubtasks;
  if (filters.createdFrom) query.created_after = dayStart(filters.createdFrom);
  if (filters.createdTo) query.created_before = dayStart(filters.createdTo, 1);
  if (filters.updatedFrom) query.updated_after = dayStart(filters.updatedFrom);
  if (filters.updatedTo) query.updated_before = dayStart(filters.updatedTo, 1);
  if (filters.sort.length) query.sort = filters.sort.join(',');
  return query;
}

export interface QuickView {
  id: string;
  label: string;
  filters: Partial<TaskFilters>;
}

export const QUICK_VIEWS: QuickView[] = [
  { id: 'ready', label: 'Ready to work', filters: { ready: 'yes' } },
  { id: 'blocked', label: 'Blocked', filters: { status: ['blocked'] } },
  { id: 'recent', label: 'Recently completed', filters: { status: ['done'], sort: ['-completed_at'] } },
  { id: 'parents', label: 'Parent tasks', filters: { hasSubtasks: 'yes' } },
];

/** The quick view these filters are exactly, if any. */
export function activeQuickView(filters: TaskFilters): QuickView | undefined {
  const text = (f: TaskFilters) => filtersToParams(f).toString();
  const current = text({ ...filters, q: '' });
  return QUICK_VIEWS.find((v) => text({ ...EMPTY_FILTERS, ...v.filters }) === current);
}

/** Clicking a column header: ascending, then descending, then back to the default order. */
export function nextSort(sort: TaskSortField[], key: (typeof TASK_SORT_KEYS)[number]): TaskSortField[] {
  const first = sort[0];
  if (first === key) return [`-${key}`];
  if (first === `-${key}`) return [];
  return [key];
}

export function sortDirection(sort: TaskSortField[], key: string): 'ascending' | 'descending' | undefined {
  const first = sort[0];
  if (first === key) return 'ascending';
  if (first === `-${key}`) return 'descending';
  return undefined;
}
