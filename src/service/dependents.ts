/**
 * `blocks_task_ids` / `is_blocker` for task rows: which tasks list each one in `depends_on`. One call to
 * the `get_task_dependents` extension tool, or a scan of the project on backends without it.
 */
import type { Task } from './adapter.js';
import { toTask } from './adapter.js';
import { dependentsOf } from './fallbacks.js';
import type { Row, ToolBackend } from './tool-backend.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

export class Dependents {
  constructor(private readonly backend: ToolBackend) {}

  /** The rows as API tasks, with who they block. */
  async withDependents(ws: ResolvedWorkspace, rows: Row[]): Promise<Task[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    let dependents: Record<string, number[]>;
    if (await this.backend.hasTool('get_task_dependents')) {
      const result = (await this.backend.read('get_task_dependents', { workspace_path: ws.workspacePath, task_ids: ids })) as {
        dependents?: Record<string, number[]>;
      };
      dependents = result.dependents ?? {};
    } else {
      dependents = dependentsOf(await this.backend.scan('list_tasks', { workspace_path: ws.workspacePath }, 'details'), ids);
    }
    return rows.map((row) => toTask(row, dependents[String(row.id)] ?? []));
  }

  async one(ws: ResolvedWorkspace, row: Row): Promise<Task> {
    const [task] = await this.withDependents(ws, [row]);
    return task!;
  }
}
