/**
 * task-mcp's fixed vocabularies as runtime lists, checked against the contract's enums at compile
 * time (a value added to openapi.yaml but not here, or the reverse, fails `tsc`).
 */
import type { components } from '../../generated/openapi.js';

type Schemas = components['schemas'];
export type TaskStatus = Schemas['TaskStatus'];
export type Priority = Schemas['Priority'];
export type EntityType = Schemas['EntityType'];

/** A list of every member of the union U (a member left out fails to compile, naming it). */
const listOf =
  <U>() =>
  <const T extends readonly U[]>(values: T & ([U] extends [T[number]] ? unknown : { missing: Exclude<U, T[number]> })): T =>
    values;

/** Statuses in workflow order. */
export const TASK_STATUSES = listOf<TaskStatus>()(['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted']);
/** Priorities by rank, lowest first. */
export const PRIORITIES = listOf<Priority>()(['low', 'medium', 'high']);
export const ENTITY_TYPES = listOf<EntityType>()(['file', 'other']);

/** Statuses after which a task no longer holds anyone up. */
export const CLOSED_STATUSES: ReadonlySet<string> = new Set<TaskStatus>(['done', 'cancelled']);
