/**
 * Checks task-mcp leaves out of its task writes, so such requests get a clear 409 instead of a
 * foreign-key failure or a broken tree: referenced tasks must exist, and a task may not become its
 * own ancestor.
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { TaskQueries } from './task-query.js';
import type { Row, ToolBackend } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

/** As deep as task-mcp can build a tree at all; bounds the ancestor walk. */
const MAX_ANCESTRY = 250;

export class TaskChecks {
  constructor(
    private readonly backend: ToolBackend,
    private readonly queries: TaskQueries,
  ) {}

  /**
   * task-mcp does not check that dependencies exist, and reports a missing parent as a FK failure.
   * One lookup for all of them, however many a request names.
   */
  async assertTasksExist(ws: ResolvedWorkspace, ids: number[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await this.queries.run(ws, { ids: unique, include_counts: false }, { limit: unique.length, offset: 0 }, { fresh: true });
    const present = new Set(found.items.map((r) => Number(r.id)));
    const missing = unique.filter((id) => !present.has(id));
    if (missing.length) throw new ConflictError(`Referenced task(s) not found: ${missing.join(', ')}`);
  }

  /** A task may not become its own parent or the parent of one of its ancestors. */
  async assertNotAncestor(ws: ResolvedWorkspace, taskId: number, newParent: number): Promise<void> {
    let current: number | null = newParent;
    for (let depth = 0; current !== null && depth < MAX_ANCESTRY; depth++) {
      if (current === taskId) throw new ConflictError(`Task ${newParent} cannot be the parent of task ${taskId}: that would make a cycle`);
      try {
        const row = (await this.backend.read('get_task', { workspace_path: ws.workspacePath, task_id: current }, { fresh: true })) as Row;
        current = typeof row.parent_task_id === 'number' ? row.parent_task_id : null;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        if (current === newParent) throw new ConflictError(`Referenced task(s) not found: ${newParent}`);
        return; // an ancestor higher up was deleted: the chain ends there
      }
    }
  }
}
