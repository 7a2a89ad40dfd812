/**
 * The write operations: task-mcp's create/update/delete/link tools with the checks task-mcp leaves
 * out (a parent or dependency that does not exist, a task made its own ancestor), so such requests
 * get a clear 409 instead of a foreign-key failure or a broken tree.
 */
import type { components } from '../../generated/openapi.js';
import { ApiError } from '../http/api-error.js';
import { toEntity, toIsoTimestamp } from './adapter.js';
import type { TaskService } from './task-service.js';
import type { Args, Row, ToolBackend } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

type Schemas = components['schemas'];

/** Far deeper than any real hierarchy; bounds the ancestor walk. */
const MAX_ANCESTRY = 1000;

/** task-mcp keeps a JSON value of any type as text; objects and arrays it serialises itself. */
function metadataArg(value: unknown): unknown {
  if (value === undefined) return undefined;
  return typeof value === 'object' && value !== null ? value : JSON.stringify(value);
}

function tagsArg(tags: string[] | undefined): string | undefined {
  return tags === undefined ? undefined : tags.join(' ');
}

function defined(args: Args): Args {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

export class WriteService {
  constructor(
    private readonly backend: ToolBackend,
    private readonly tasks: TaskService,
  ) {}

  /** The task as GET returns it without include (fresh, for If-Match and write responses). */
  async currentTask(ws: ResolvedWorkspace, taskId: number): Promise<Schemas['Task']> {
    const row = (await this.backend.read('get_task', { workspace_path: ws.workspacePath, task_id: taskId }, { fresh: true })) as Row;
    const [task] = await this.tasks.withDependents(ws, [row]);
    return task!;
  }

  async currentEntity(ws: ResolvedWorkspace, entityId: number): Promise<Schemas['Entity']> {
    return toEntity((await this.backend.read('get_entity', { workspace_path: ws.workspacePath, entity_id: entityId }, { fresh: true })) as Row);
  }

  async createTask(ws: ResolvedWorkspace, body: Schemas['TaskCreate'], createdBy: string): Promise<Schemas['Task']> {
    await this.assertTasksExist(ws, [...(body.parent_task_id ? [body.parent_task_id] : []), ...(body.depends_on ?? [])]);
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
    const [task] = await this.tasks.withDependents(ws, [row]);
    return task!;
  }

  async updateTask(ws: ResolvedWorkspace, taskId: number, body: Schemas['TaskUpdate']): Promise<Schemas['Task']> {
    await this.assertTasksExist(ws, body.depends_on ?? []);
    if (body.parent_task_id !== undefined) await this.assertNotAncestor(ws, taskId, body.parent_task_id);
    if (body.depends_on?.includes(taskId)) throw new ApiError(409, 'conflict', `Task ${taskId} cannot depend on itself`);
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
    const [task] = await this.tasks.withDependents(ws, [row]);
    return task!;
  }

  async deleteTask(ws: ResolvedWorkspace, taskId: number, cascade: boolean): Promise<void> {
    await this.backend.write('delete_task', { workspace_path: ws.workspacePath, task_id: taskId, cascade });
  }

  async createEntity(ws: ResolvedWorkspace, body: Schemas['EntityCreate'], createdBy: string): Promise<Schemas['Entity']> {
    const row = await this.backend.write(
      'create_entity',
      defined({
        workspace_path: ws.workspacePath,
        entity_type: body.entity_type,
        name: body.name,
        identifier: body.identifier,
        description: body.description,
        metadata: metadataArg(body.metadata),
        tags: tagsArg(body.tags),
        created_by: createdBy,
      }),
    );
    return toEntity(row as Row);
  }

  async updateEntity(ws: ResolvedWorkspace, entityId: number, body: Schemas['EntityUpdate']): Promise<Schemas['Entity']> {
    const row = await this.backend.write(
      'update_entity',
      defined({
        workspace_path: ws.workspacePath,
        entity_id: entityId,
        name: body.name,
        identifier: body.identifier,
        description: body.description,
        metadata: metadataArg(body.metadata),
        tags: tagsArg(body.tags),
      }),
    );
    return toEntity(row as Row);
  }

  async deleteEntity(ws: ResolvedWorkspace, entityId: number): Promise<void> {
    await this.backend.write('delete_entity', { workspace_path: ws.workspacePath, entity_id: entityId });
  }

  /** Links once; linking again reports the existing link instead of failing. */
  async link(ws: ResolvedWorkspace, taskId: number, entityId: number, createdBy: string): Promise<Schemas['Link']> {
    try {
      const link = (await this.backend.write('link_entity_to_task', {
        workspace_path: ws.workspacePath,
        task_id: taskId,
        entity_id: entityId,
        created_by: createdBy,
      })) as Row;
      return { task_id: taskId, entity_id: entityId, created: true, link_created_at: toIsoTimestamp(link.created_at), link_created_by: (link.created_by as string | null) ?? null };
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      const existing = (await this.tasks.getTaskEntities(ws, taskId)).find((e) => e.id === entityId);
      if (!existing) throw err;
      return { task_id: taskId, entity_id: entityId, created: false, link_created_at: existing.link_created_at, link_created_by: existing.link_created_by };
    }
  }

  async renameProject(projectId: string, friendlyName: string): Promise<void> {
    const project = await this.tasks.resolver.project(projectId);
    await this.backend.write('set_project_name', { workspace_path: project.workspace_path, friendly_name: friendlyName });
  }

  /** task-mcp does not check that dependencies exist, and reports a missing parent as a FK failure. */
  private async assertTasksExist(ws: ResolvedWorkspace, ids: number[]): Promise<void> {
    const unique = [...new Set(ids)];
    const checks = await Promise.allSettled(
      unique.map((id) => this.backend.read('get_task', { workspace_path: ws.workspacePath, task_id: id }, { fresh: true })),
    );
    const missing: number[] = [];
    checks.forEach((check, i) => {
      if (check.status === 'fulfilled') return;
      if (!(check.reason instanceof ApiError && check.reason.status === 404)) throw check.reason;
      missing.push(unique[i]!);
    });
    if (missing.length) throw new ApiError(409, 'conflict', `Referenced task(s) not found: ${missing.join(', ')}`);
  }

  /** A task may not become its own parent or the parent of one of its ancestors. */
  private async assertNotAncestor(ws: ResolvedWorkspace, taskId: number, newParent: number): Promise<void> {
    let current: number | null = newParent;
    for (let depth = 0; current !== null && depth < MAX_ANCESTRY; depth++) {
      if (current === taskId) throw new ApiError(409, 'conflict', `Task ${newParent} cannot be the parent of task ${taskId}: that would make a cycle`);
      try {
        const row = (await this.backend.read('get_task', { workspace_path: ws.workspacePath, task_id: current }, { fresh: true })) as Row;
        current = typeof row.parent_task_id === 'number' ? row.parent_task_id : null;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          if (current === newParent) throw new ApiError(409, 'conflict', `Referenced task(s) not found: ${newParent}`);
          return; // an ancestor higher up was deleted: the chain ends there
        }
        throw err;
      }
    }
  }
}
