/**
 * Typed `sort` values. The spec types `sort` as a patterned string (`-priority,created_at`); these
 * helpers let the compiler check the keys and build the string.
 */

/** Keys `GET /api/v1/tasks`, `/tasks/search`, `/tasks/export` and `/entities/{id}/tasks` sort by. */
export const TASK_SORT_KEYS = ['priority', 'status', 'created_at', 'updated_at', 'completed_at', 'title', 'id'] as const;
export type TaskSortKey = (typeof TASK_SORT_KEYS)[number];
/** A key, ascending, or with `-` for descending. */
export type TaskSortField = TaskSortKey | `-${TaskSortKey}`;

/** Keys `GET /api/v1/entities`, `/entities/search` and `/entities/export` sort by. */
export const ENTITY_SORT_KEYS = ['name', 'entity_type', 'created_at', 'updated_at', 'id'] as const;
export type EntitySortKey = (typeof ENTITY_SORT_KEYS)[number];
export type EntitySortField = EntitySortKey | `-${EntitySortKey}`;

/** `taskSort('-priority', 'created_at')` is `'-priority,created_at'`. */
export function taskSort(...fields: [TaskSortField, ...TaskSortField[]]): string {
  return fields.join(',');
}

export function entitySort(...fields: [EntitySortField, ...EntitySortField[]]): string {
  return fields.join(',');
}

/** Reads a sort string back into fields; unknown keys are dropped (for URLs typed by hand). */
export function parseTaskSort(sort: string | null | undefined): TaskSortField[] {
  if (!sort) return [];
  return sort
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is TaskSortField => (TASK_SORT_KEYS as readonly string[]).includes(s.replace(/^-/, '')));
}
