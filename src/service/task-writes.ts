/**
 * Write model for tasks: `createTask`, `updateTask`, `deleteTask`, `linkEntityToTask` — task-mcp's
 * create/update/delete/link tools, with the checks task-mcp leaves out (src/service/task-checks.ts).
 */
import type { Schemas } from '../contract.js';
import { ConflictError } from '../domain/errors.js';
import { toIsoTimestamp } from './adapter.js';
import type { Dependents } from './dependents.js';
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
    private readonly dependents: Dependents,
    private readonly checks: TaskChecks,
    private readonly reads: Pick<TaskReads, 'getTaskEntities'>,
  ) {}

  /** The task as GET returns it without include (fresh, for If-Match and write responses). */
  async currentTask(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['Task']> {
    const row = (await this.backend.read('get_task', { workspace_path: ws.workspacePath, task_id: taskId }, { fresh: true })) as Row;
    return this.dependents.one(ws, row);
  }

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
    return this.dependents.one(ws, row);
  }

  async updateTask(ws: ResolvedWorkspace, taskId: number, body: Schemas['TaskUpdate']): Promise<Schemas['Task']> {
    await this.checks.assertTasksExist(ws, body.depends_on ?? []);
    if (body.parent_task_id !== undefined) await this.checks.assertNotAncestor(ws, taskId, body.parent_task_id);
    if (body.depends_on?.includes(taskId)) throw new ConflictError(`Task ${taskId} cannot depend on itself`);
    const row = (await this.backend.write(
      'update_task',
      defined({
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
      }),
    )) as Row;
    return this.dependents.one(ws, row);
  }

  async deleteTask(ws: ResolvedWorkspace, taskId: number, cascade: boolean): Promise<void> {
    await this.backend.write('delete_task', { workspace_path: ws.workspacePath, task_id: taskId, cascade });
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
      return { task_id: taskId, entity_id: entityId, created: true, link_created_at: toIsoTimestamp(link.created_at), link_created_by: (link.created_by as string | null) ?? null };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const existing = (await this.reads.getTaskEntities(ws, taskId)).find((e) => e.id === entityId);
      if (!existing) throw err;
      return { task_id: taskId, entity_id: entityId, created: false, link_created_at: existing.link_created_at, link_created_by: existing.link_created_by };
    }
  }
}
