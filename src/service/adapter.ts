/**
 * task-mcp rows -> the API's typed shapes. task-mcp stores arrays as JSON text, tags as one
 * space-separated string and timestamps as local time without offset (legacy rows: UTC with a space);
 * the API speaks real arrays and UTC ISO 8601.
 */
import type { components } from '../../generated/openapi.js';
import { CLOSED_STATUSES, PRIORITIES, TASK_STATUSES } from '../domain/vocabulary.js';

type Schemas = components['schemas'];
export type TaskFields = Schemas['TaskFields'];
export type Task = Schemas['Task'];
export type Entity = Schemas['Entity'];
export type LinkedEntity = Schemas['LinkedEntity'];
export type LinkedTask = Schemas['LinkedTask'];
export type Project = Schemas['Project'];
export type TaskTreeNode = Schemas['TaskTreeNode'];
export type StatusCounts = Schemas['StatusCounts'];
export type PriorityCounts = Schemas['PriorityCounts'];

type Row = Record<string, unknown>;

const NAIVE_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const LEGACY_UTC = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Converted timestamps, bounded (cleared when full). Building a Date from local wall-clock parts is the
 * costliest step of mapping a list (a time-zone lookup per field; the top self-time entry in the
 * benchmark profile), and the same rows are mapped again on every cached read.
 */
const isoMemo = new Map<string, string | null>();
const ISO_MEMO_MAX = 20_000;

/** A task-mcp timestamp as UTC ISO 8601, or null when absent or unreadable. */
export function toIsoTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const known = isoMemo.get(value);
  if (known !== undefined) return known;
  const iso = convertTimestamp(value);
  if (isoMemo.size >= ISO_MEMO_MAX) isoMemo.clear();
  isoMemo.set(value, iso);
  return iso;
}

function convertTimestamp(value: string): string | null {
  let date: Date;
  const local = NAIVE_LOCAL.exec(value);
  const legacy = local ? null : LEGACY_UTC.exec(value);
  const parts = local ?? legacy;
  if (parts) {
    const [y, mo, d, h, mi, s] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const ms = Math.floor(Number(`0.${parts[7] ?? '0'}`) * 1000);
    // Python's datetime.now() is local wall-clock time; CURRENT_TIMESTAMP (legacy rows) is UTC.
    date = local ? new Date(y, mo - 1, d, h, mi, s, ms) : new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  } else {
    date = new Date(value);
  }
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function toIntArray(value: unknown): number[] {
  const parsed = Array.isArray(value) ? value : parseJson(value);
  return Array.isArray(parsed) ? parsed.map(Number).filter(Number.isInteger) : [];
}

export function toStringArray(value: unknown): string[] {
  const parsed = Array.isArray(value) ? value : parseJson(value);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

/** task-mcp keeps tags normalised (lowercase, single spaces); split on any whitespace anyway. */
export function toTags(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

function toObject(value: unknown): Record<string, unknown> | null {
  const parsed = parseJson(value);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

export function toTaskFields(row: Row): TaskFields {
  return {
    id: Number(row.id),
    title: String(row.title ?? ''),
    description: str(row.description),
    status: row.status as TaskFields['status'],
    priority: (row.priority ?? 'medium') as TaskFields['priority'],
    parent_task_id: int(row.parent_task_id),
    depends_on: toIntArray(row.depends_on),
    tags: toTags(row.tags),
    blocker_reason: str(row.blocker_reason),
    file_references: toStringArray(row.file_references),
    created_by: str(row.created_by),
    created_at: toIsoTimestamp(row.created_at),
    updated_at: toIsoTimestamp(row.updated_at),
    completed_at: toIsoTimestamp(row.completed_at),
    subtask_count: Number(row.subtask_count ?? 0),
    subtask_done_count: Number(row.subtask_done_count ?? 0),
    workspace_metadata: workspaceMetadata(row.workspace_metadata),
  };
}

/** What task-mcp recorded about the workspace, without the server's working directory (not the caller's business). */
function workspaceMetadata(value: unknown): Record<string, unknown> | null {
  const parsed = toObject(value);
  if (!parsed) return null;
  const { cwd_at_creation: _serverCwd, ...rest } = parsed;
  return rest;
}

/**
 * A `query_tasks` row (task row + `subtask_count`, `subtask_done_count`, `dependents`: the ids of the
 * tasks that list it in depends_on) as an API task.
 */
export function toTask(row: Row): Task {
  const fields = toTaskFields(row);
  const dependents = toIntArray(row.dependents);
  return { ...fields, is_blocker: !CLOSED_STATUSES.has(fields.status) && dependents.length > 0, blocks_task_ids: dependents };
}

/** A `get_task_tree` node: its subtask counts are its own children. */
export function toTaskTree(row: Row): TaskTreeNode {
  const subtasks = Array.isArray(row.subtasks) ? (row.subtasks as Row[]) : [];
  const counted = { ...row, subtask_count: subtasks.length, subtask_done_count: subtasks.filter((c) => c.status === 'done').length };
  return { ...toTaskFields(counted), subtasks: subtasks.map(toTaskTree) };
}

export function toLinkedTask(row: Row): LinkedTask {
  return { ...toTaskFields(row), link_created_at: toIsoTimestamp(row.link_created_at), link_created_by: str(row.link_created_by) };
}

export function toEntity(row: Row): Entity {
  const metadata = row.metadata === null || row.metadata === undefined ? null : parseJson(row.metadata);
  return {
    id: Number(row.id),
    entity_type: row.entity_type as Entity['entity_type'],
    name: String(row.name ?? ''),
    identifier: str(row.identifier),
    description: str(row.description),
    // Unparseable legacy text is returned as the string it is rather than dropped.
    metadata: metadata === undefined ? row.metadata : metadata,
    tags: toTags(row.tags),
    linked_tasks_count: Number(row.linked_tasks_count ?? 0),
    created_by: str(row.created_by),
    created_at: toIsoTimestamp(row.created_at),
    updated_at: toIsoTimestamp(row.updated_at),
    updated_by: str(row.updated_by),
  };
}

export function toLinkedEntity(row: Row): LinkedEntity {
  return { ...toEntity(row), link_created_at: toIsoTimestamp(row.link_created_at), link_created_by: str(row.link_created_by) };
}

export type ProjectFields = Schemas['ProjectFields'];

export function toProjectFields(row: Row): ProjectFields {
  return {
    id: String(row.id),
    workspace_path: String(row.workspace_path ?? ''),
    // task-mcp cannot store NULL once a name was set: an empty name is no name.
    friendly_name: str(row.friendly_name) || null,
    created_at: toIsoTimestamp(row.created_at),
    last_accessed: toIsoTimestamp(row.last_accessed),
  };
}

/** A `list_project_summaries` row (a project plus `total_tasks` and `by_status`) for the project switcher. */
export function toProject(row: Row): Project {
  const byStatus = (row.by_status ?? {}) as Record<string, number>;
  const count = (s: string) => Number(byStatus[s] ?? 0);
  return {
    ...toProjectFields(row),
    counts: { total_tasks: Number(row.total_tasks ?? 0), open_tasks: count('todo') + count('in_progress') + count('blocked'), blocked_tasks: count('blocked') },
  };
}

/** task-mcp omits zero counts; the API always lists every status and priority. */
export function toStatusCounts(byStatus: unknown): StatusCounts {
  const source = (byStatus ?? {}) as Record<string, unknown>;
  return Object.fromEntries(TASK_STATUSES.map((s) => [s, Number(source[s] ?? 0)])) as StatusCounts;
}

export function toPriorityCounts(byPriority: unknown): PriorityCounts {
  const source = (byPriority ?? {}) as Record<string, unknown>;
  return Object.fromEntries(PRIORITIES.map((p) => [p, Number(source[p] ?? 0)])) as PriorityCounts;
}

/** task-mcp's envelope {total_count, returned_count, limit, offset, items}; older servers return bare lists. */
export interface Envelope {
  total: number;
  items: Row[];
}

export function toEnvelope(payload: unknown): Envelope {
  if (Array.isArray(payload)) return { total: payload.length, items: payload as Row[] };
  const env = (payload ?? {}) as { total_count?: unknown; items?: unknown };
  const items = Array.isArray(env.items) ? (env.items as Row[]) : [];
  return { total: typeof env.total_count === 'number' ? env.total_count : items.length, items };
}

