/**
 * Write model for tasks: `createTask`, `updateTask`, `deleteTask`, `linkEntityToTask` — task-mcp's
 * create/update/delete/link tools, with the checks task-mcp leaves out (src/service/task-checks.ts) and
 * `If-Match` as one atomic step (src/service/conditional-write.ts).
 */
import type { Schemas } from '../contract.js';
import type { ChangeNotifier } from '../domain/changes.js';
import { etagOf } from '../domain/etag.js';
import { ConflictError } from '../domain/errors.js';
import { toIsoTimestamp, toTask } from './adapter.js';
import type { ConditionalWrites, Current } from './conditional-write.js';
import type { TaskChecks } from './task-checks.js';
import type { TaskReads } from './task-reads.js';
import { type Row, type ToolBackend, defined } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

/** task-mcp keeps tags as one space-separated string. */
export function tagsArg(tags: readonly string[] | undefined): string | undefined {
  return tags === undefined ? undefined : tags.join(' ');
}

export class TaskWrites {
  constructor(
    private readonly backend: ToolBackend,
    private readonly reads: Pick<TaskReads, 'task' | 'row' | 'getTaskEntities' | 'subtaskIds'>,
    private readonly checks: TaskChecks,
    private readonly conditional: ConditionalWrites,
    private readonly notifier: ChangeNotifier,
  ) {}

  async createTask(ws: ResolvedWorkspace, body: Schemas['TaskCreate'], createdBy: string): Promise<Schemas['Task']> {
    await this.checks.assertTasksExist(ws, [...(body.parent_task_id ? [body.parent_task_id] : []), ...(body.depends_on ?? [])]);
    const row = (await this.backend.write(
      'create_task',
      defined({
        workspace_path: ws.workspacePath,
        title: body.title,
        description: body.description,
        status: body.status,
        priority: body.priority,
        parent_task_id: body.parent_task_id,
        depends_on: body.depends_on,
        tags: tagsArg(body.tags),
        file_references: body.file_references,
        created_by: createdBy,
      }),
    )) as Row;
    const claimed = await this.claim(ws, 'task.created', row);
    const task = await this.reads.task(ws, Number(row.id), { fresh: true });
    if (claimed) await this.announce(ws, 'task.created', task, null);
    return task;
  }

  async updateTask(ws: ResolvedWorkspace, taskId: number, body: Schemas['TaskUpdate'], ifMatch?: string): Promise<Schemas['Task']> {
    await this.checks.assertTasksExist(ws, body.depends_on ?? []);
    if (body.parent_task_id !== undefined) await this.checks.assertNotAncestor(ws, taskId, body.parent_task_id);
    if (body.depends_on?.includes(taskId)) throw new ConflictError(`Task ${taskId} cannot depend on itself`);
    const args = defined({
      workspace_path: ws.workspacePath,
      task_id: taskId,
      title: body.title,
      description: body.description,
      status: body.status,
      priority: body.priority,
      parent_task_id: body.parent_task_id,
      depends_on: body.depends_on,
      tags: tagsArg(body.tags),
      blocker_reason: body.blocker_reason,
      file_references: body.file_references,
    });
    const row = (await this.conditional.run(this.key(ws, taskId), ifMatch, 'update_task_checked', () => this.current(ws, taskId), (version) =>
      version === undefined ? this.backend.write('update_task', args) : this.backend.write('update_task_checked', { ...args, expected_updated_at: version }),
    )) as Row;
    const claimed = await this.claim(ws, 'task.updated', row);
    const task = await this.reads.task(ws, taskId, { fresh: true });
    if (claimed) await this.announce(ws, 'task.updated', task, Object.keys(body));
    return task;
  }

  async deleteTask(ws: ResolvedWorkspace, taskId: number, cascade: boolean, ifMatch?: string): Promise<void> {
    const args = { workspace_path: ws.workspacePath, task_id: taskId, cascade };
    // task-mcp deletes direct subtasks with cascade but does not say which: note them first, to announce them.
    const children = cascade ? (await this.reads.subtaskIds(ws, taskId)) : [];
    await this.conditional.run(this.key(ws, taskId), ifMatch, 'delete_task_checked', () => this.current(ws, taskId), (version) =>
      version === undefined ? this.backend.write('delete_task', args) : this.backend.write('delete_task_checked', { ...args, expected_updated_at: version }),
    );
    for (const id of [taskId, ...children]) {
      await this.notifier.changed({ type: 'task.deleted', workspacePath: ws.workspacePath, projectId: ws.projectId, taskId: id, etag: null, changed: null, source: 'api', version: 'deleted' });
    }
  }

  /** Links once; linking again reports the existing link instead of failing. */
  async linkEntityToTask(ws: ResolvedWorkspace, taskId: number, entityId: number, createdBy: string): Promise<Schemas['Link']> {
    try {
      const link = (await this.backend.write('link_entity_to_task', {
        workspace_path: ws.workspacePath,
        task_id: taskId,
        entity_id: entityId,
        created_by: createdBy,
      })) as Row;
      const created = { task_id: taskId, entity_id: entityId, created: true, link_created_at: toIsoTimestamp(link.created_at), link_created_by: (link.created_by as string | null) ?? null };
      await this.notifier.changed({ type: 'link.created', workspacePath: ws.workspacePath, projectId: ws.projectId, taskId, entityId, etag: null, changed: null, source: 'api', version: String(created.link_created_at) });
      return created;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const existing = (await this.reads.getTaskEntities(ws, taskId)).find((e) => e.id === entityId);
      if (!existing) throw err;
      return { task_id: taskId, entity_id: entityId, created: false, link_created_at: existing.link_created_at, link_created_by: existing.link_created_by };
    }
  }

  /** The task's ETag as GET returns it, and the stored `updated_at` the compare-and-set tools compare. */
  private async current(ws: ResolvedWorkspace, taskId: number): Promise<Current<string>> {
    const row = await this.reads.row(ws, taskId, { fresh: true });
    return { etag: etagOf(toTask(row)), version: String(row.updated_at) };
  }

  /** Claims the change as soon as the backend confirms it, by the stored row's `updated_at`. */
  private claim(ws: ResolvedWorkspace, type: 'task.created' | 'task.updated', row: Row): Promise<boolean> {
    return this.notifier.claim({ type, workspacePath: ws.workspacePath, projectId: ws.projectId, taskId: Number(row.id), version: String(toIsoTimestamp(row.updated_at)) });
  }

  private announce(ws: ResolvedWorkspace, type: 'task.created' | 'task.updated', task: Schemas['Task'], changed: string[] | null): Promise<void> {
    return this.notifier.publish({ type, workspacePath: ws.workspacePath, projectId: ws.projectId, taskId: task.id, etag: etagOf(task), changed, source: 'api', version: String(task.updated_at) });
  }

  private key(ws: ResolvedWorkspace, taskId: number): string {
    return `task:${ws.workspacePath}:${taskId}`;
  }
}
