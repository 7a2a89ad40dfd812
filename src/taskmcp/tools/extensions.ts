/**
 * EXTENSION tools: not in task-mcp (contract §7, §12.4). The REST layer detects them via tools/list and
 * falls back to list_tasks against a server without them. Same WS/REG handling as the contract tools.
 */
import { ToolError } from '../errors.js';
import { pySplit } from '../pytext.js';
import { P, openWorkspace, parseIdList, type ToolDef } from './common.js';

function checkLimit(limit: number | null): void {
  if (limit !== null && (limit < 1 || limit > 1000)) throw new ToolError(`limit must be between 1 and 1000, got ${limit}`);
}

const getNextTasks: ToolDef = {
  name: 'get_next_tasks',
  family: 'B',
  description:
    '[EXTENSION, not in task-mcp] Actionable tasks: status todo whose every existing, non-deleted dependency is done; ' +
    'priority high>medium>low, then oldest first. Full rows, bare list; optional limit (1-1000).',
  params: [P.ws, P.optInt('limit')],
  async run(a, ctx) {
    checkLimit(a.limit);
    const { db } = await openWorkspace(ctx, a.workspace_path);
    return db.read(() => {
      // Active tasks that are not done block their dependents; missing/deleted ids are ignored (§4.4 step 7).
      const open = new Set(db.all<{ id: number }>("SELECT id FROM tasks WHERE deleted_at IS NULL AND status != 'done'").map((r) => r.id));
      const todo = db.all(
        `SELECT * FROM tasks WHERE deleted_at IS NULL AND status = 'todo'
         ORDER BY CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, created_at ASC, id ASC`);
      const ready = todo.filter((t) => parseIdList(t.depends_on).every((d) => !open.has(d)));
      return a.limit === null ? ready : ready.slice(0, a.limit);
    });
  },
};

const getBlockedTasks: ToolDef = {
  name: 'get_blocked_tasks',
  family: 'B',
  description: '[EXTENSION, not in task-mcp] Blocked tasks (full rows incl. blocker_reason), newest first; bare list; optional limit (1-1000).',
  params: [P.ws, P.optInt('limit')],
  async run(a, ctx) {
    checkLimit(a.limit);
    const { db } = await openWorkspace(ctx, a.workspace_path);
    return db.all(
      `SELECT * FROM tasks WHERE deleted_at IS NULL AND status = 'blocked' ORDER BY created_at DESC, id ASC LIMIT ?`,
      a.limit ?? -1);
  },
};

const getTaskDependents: ToolDef = {
  name: 'get_task_dependents',
  family: 'A',
  description:
    '[EXTENSION, not in task-mcp] For each given task id, the ids of active tasks whose depends_on contains it (ascending). ' +
    'Returns {"dependents": {"<id>": [ids]}}.',
  params: [P.ws, { name: 'task_ids', kind: 'int_list' }],
  async run(a, ctx) {
    const { db } = await openWorkspace(ctx, a.workspace_path);
    const ids = [...new Set(a.task_ids as number[])];
    const dependents: Record<string, number[]> = {};
    for (const id of a.task_ids as number[]) dependents[String(id)] = [];
    if (!ids.length) return { dependents };
    // The reverse dependency index of the whole project (dep id -> ascending ids of the active tasks that
    // depend on it) is one full json_each scan; memoized until the project database changes.
    const index = await db.read(() =>
      db.memo('task_dependents_index', () => {
        const byDep = new Map<number, number[]>();
        const rows = db.all<{ id: number; dep: number }>(
          `SELECT DISTINCT t.id AS id, j.value AS dep FROM tasks t,
                json_each(CASE WHEN json_valid(t.depends_on) THEN CASE WHEN json_type(t.depends_on) = 'array' THEN t.depends_on ELSE '[]' END ELSE '[]' END) j
           WHERE t.deleted_at IS NULL AND t.depends_on IS NOT NULL AND j.type = 'integer'
           ORDER BY t.id ASC`,
        );
        for (const r of rows) {
          const list = byDep.get(r.dep);
          if (list) list.push(r.id);
          else byDep.set(r.dep, [r.id]);
        }
        return byDep;
      }),
    );
    for (const id of ids) dependents[String(id)] = [...(index.get(id) ?? [])];
    return { dependents };
  },
};

const listTags: ToolDef = {
  name: 'list_tags',
  family: 'B',
  description: '[EXTENSION, not in task-mcp] Tags of active tasks with the number of tasks carrying each; count desc, then tag asc.',
  params: [P.ws],
  async run(a, ctx) {
    const { db } = await openWorkspace(ctx, a.workspace_path);
    const counts = new Map<string, number>();
    for (const r of db.stmt("SELECT tags FROM tasks WHERE deleted_at IS NULL AND tags IS NOT NULL AND tags != ''").iterate() as Iterable<{ tags: string }>) {
      for (const tag of new Set(pySplit(r.tags))) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    return [...counts.entries()]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map(([tag, count]) => ({ tag, count }));
  },
};

export const extensionTools: ToolDef[] = [getNextTasks, getBlockedTasks, getTaskDependents, listTags];
