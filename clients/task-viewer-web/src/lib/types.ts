/** Names for the API's types, all taken from the client package (generated from openapi.yaml): none are written by hand. */
import type { components, operations } from 'task-viewer-client';

export type Schemas = components['schemas'];
export type Task = Schemas['Task'];
export type TaskStatus = Schemas['TaskStatus'];
export type Priority = Schemas['Priority'];
export type Entity = Schemas['Entity'];
export type EntityType = Schemas['EntityType'];
export type Project = Schemas['Project'];
export type ApiError = Schemas['Error'];
export type TaskUpdate = Schemas['TaskUpdate'];
export type TaskCreate = Schemas['TaskCreate'];
export type EntityCreate = Schemas['EntityCreate'];
export type EntityUpdate = Schemas['EntityUpdate'];
export type StatusCounts = Schemas['StatusCounts'];
export type ListTasksQuery = NonNullable<operations['listTasks']['parameters']['query']>;
export type ListEntitiesQuery = NonNullable<operations['listEntities']['parameters']['query']>;
export type Me = Schemas['Me'];

/** Every status, in task-mcp's workflow order (the order the API sorts `status` by). */
export const STATUSES = ['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted'] as const satisfies readonly TaskStatus[];
export const PRIORITIES = ['high', 'medium', 'low'] as const satisfies readonly Priority[];
export const ENTITY_TYPES = ['file', 'other'] as const satisfies readonly EntityType[];

export const STATUS_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  cancelled: 'Cancelled',
  to_be_deleted: 'To be deleted',
};

export const PRIORITY_LABELS: Record<Priority, string> = { high: 'High', medium: 'Medium', low: 'Low' };
