/** The columns of task and entity exports (CSV and Markdown); arrays and metadata are JSON text. */
import type { Schemas } from '../contract.js';
import type { Column } from './export-stream.js';

const json = (v: unknown) => JSON.stringify(v ?? null);

export const TASK_COLUMNS: Column<Schemas['Task']>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'title', value: (t) => t.title },
  { header: 'status', value: (t) => t.status },
  { header: 'priority', value: (t) => t.priority },
  { header: 'parent_task_id', value: (t) => t.parent_task_id },
  { header: 'depends_on', value: (t) => json(t.depends_on) },
  { header: 'tags', value: (t) => t.tags.join(' ') },
  { header: 'blocker_reason', value: (t) => t.blocker_reason },
  { header: 'file_references', value: (t) => json(t.file_references) },
  { header: 'created_by', value: (t) => t.created_by },
  { header: 'created_at', value: (t) => t.created_at },
  { header: 'updated_at', value: (t) => t.updated_at },
  { header: 'completed_at', value: (t) => t.completed_at },
  { header: 'subtask_count', value: (t) => t.subtask_count },
  { header: 'subtask_done_count', value: (t) => t.subtask_done_count },
  { header: 'is_blocker', value: (t) => t.is_blocker },
  { header: 'blocks_task_ids', value: (t) => json(t.blocks_task_ids) },
  { header: 'description', value: (t) => t.description },
];
export const TASK_MARKDOWN = ['id', 'title', 'status', 'priority', 'tags', 'parent_task_id', 'updated_at'];

export const ENTITY_COLUMNS: Column<Schemas['Entity']>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'entity_type', value: (e) => e.entity_type },
  { header: 'name', value: (e) => e.name },
  { header: 'identifier', value: (e) => e.identifier },
  { header: 'description', value: (e) => e.description },
  { header: 'metadata', value: (e) => (e.metadata === null || e.metadata === undefined ? null : json(e.metadata)) },
  { header: 'tags', value: (e) => e.tags.join(' ') },
  { header: 'linked_tasks_count', value: (e) => e.linked_tasks_count },
  { header: 'created_by', value: (e) => e.created_by },
  { header: 'created_at', value: (e) => e.created_at },
  { header: 'updated_at', value: (e) => e.updated_at },
  { header: 'updated_by', value: (e) => e.updated_by },
];
export const ENTITY_MARKDOWN = ['id', 'entity_type', 'name', 'identifier', 'tags', 'linked_tasks_count'];
