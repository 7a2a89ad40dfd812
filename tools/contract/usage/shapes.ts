/**
 * What a consumer of any generated client reads, and what must not compile. Type-checked (strict) once
 * per generator: `consumer-types` maps to that generator's types (see the per-generator files).
 * Every `@ts-expect-error` is a check: if the generated type lets the line compile, tsc fails with
 * "Unused '@ts-expect-error' directive".
 */
import type { Entity, LinkedEntity, LinkedTask, Project, ProjectDetail, Task, TaskTreeNode, TaskWithEntities } from 'consumer-types';

export function describeTask(t: Task): string {
  const parent: number | null = t.parent_task_id;
  return [t.id, t.title, t.status, t.priority, parent ?? '-', t.depends_on.join(','), t.tags.join(' '), t.is_blocker, t.blocks_task_ids.length, t.subtask_count, t.subtask_done_count, t.completed_at ?? ''].join(' ');
}
export function countTree(node: TaskTreeNode): number {
  return 1 + node.subtasks.reduce((sum, child) => sum + countTree(child), 0);
}
export function projectLine(p: ProjectDetail): string {
  return `${p.id} ${p.workspace_path} ${p.friendly_name ?? ''} ${p.stats.total_tasks} ${p.stats.by_status.blocked} ${p.stats.by_priority.high}`;
}
export function openTasks(p: Project): number {
  return p.counts.open_tasks;
}
export function entityLine(e: Entity): string {
  const metadata: unknown = e.metadata;
  return `${e.id} ${e.entity_type} ${e.name} ${e.identifier ?? ''} ${e.linked_tasks_count} ${JSON.stringify(metadata)}`;
}
export function linkLines(e: LinkedEntity, t: LinkedTask): string {
  return `${e.name} ${e.link_created_at ?? ''} ${t.title} ${t.link_created_by ?? ''}`;
}
export function embedded(t: TaskWithEntities): number {
  return (t.entities ?? []).reduce((n, e) => n + e.linked_tasks_count, t.is_blocker ? 1 : 0);
}

// What must not compile.
export function unknownProperty(e: Entity): unknown {
  // @ts-expect-error Entity is closed: it has no `typo`
  return e.typo;
}
export function extraProperty(e: Entity): Entity {
  // @ts-expect-error Entity is closed: an object literal with an extra field is refused
  return { ...e, typo: 1 };
}
export function treeWithoutSubtasks(t: Task): TaskTreeNode {
  const { is_blocker: _blocker, blocks_task_ids: _blocks, ...fields } = t;
  // @ts-expect-error a TaskTreeNode needs `subtasks`
  const node: TaskTreeNode = { ...fields };
  return node;
}
export function linkedTaskWithoutLink(t: Task): LinkedTask {
  const { is_blocker: _blocker, blocks_task_ids: _blocks, ...fields } = t;
  // @ts-expect-error a LinkedTask needs `link_created_at` and `link_created_by`
  const linked: LinkedTask = { ...fields };
  return linked;
}
export function projectWithoutStats(p: Project): ProjectDetail {
  // @ts-expect-error a ProjectDetail needs `stats`
  return p;
}
export function unknownStatus(t: Task): Task {
  // @ts-expect-error status is one of task-mcp's six
  return { ...t, status: 'doing' };
}
export function entitiesAreLinked(t: TaskWithEntities): Entity[] {
  // A LinkedEntity is an Entity with link fields; an Entity is not a LinkedEntity.
  const list: Entity[] = (t.entities ?? []).map(({ link_created_at: _at, link_created_by: _by, ...e }) => e);
  // @ts-expect-error an Entity lacks the link fields
  const back: LinkedEntity[] = list;
  return back;
}
