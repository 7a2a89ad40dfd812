/**
 * The first EXTENSION tools (not in task-mcp; docs/task-mcp-compatibility.md, "Extension tools"):
 * next, blocked, dependents, tags. The REST layer detects them via tools/list and falls back to list_tasks
 * against a server without them (src/service/fallbacks.ts computes the same answers: keep both in step).
 * Reads: they never register a project.
 */
import { ToolError } from '../errors.js';
import { pySplit } from '../pytext.js';
import { P, defineTool, openForRead, parseIdList } from './common.js';
import { dependentsIndex, dependentsOf } from './dependents.js';

function checkLimit(limit: number | null): void {
  if (limit !== null && (limit < 1 || limit > 1000)) throw new ToolError(`limit must be between 1 and 1000, got ${limit}`);
}

const getNextTasks = defineTool({
  name: 'get_next_tasks',
  family: 'B',
  description:
    '[EXTENSION, not in task-mcp] Actionable tasks: status todo whose every existing, non-deleted dependency is done; ' +
    'priority high>medium>low, then oldest first. Full rows, bare list; optional limit (1-1000).',
  params: [P.ws, P.optInt('limit')],
  async run(a, ctx) {
    checkLimit(a.limit);
    const { db } = openForRead(ctx, a.workspace_path);
    return db.read(() => {
      // Active tasks that are not done block their dependents; missing/deleted ids are ignored (as update_task's done check).
      const open = new Set(db.all<{ id: number }>("SELECT id FROM tasks WHERE deleted_at IS NULL AND status != 'done'").map((r) => r.id));
      const todo = db.all(
        `SELECT * FROM tasks WHERE deleted_at IS NULL AND status = 'todo'
         ORDER BY CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, created_at ASC, id ASC`);
      const ready = todo.filter((t) => parseIdList(t.depends_on).every((d) => !open.has(d)));
      return a.limit === null ? ready : ready.slice(0, a.limit);
    });
  },
});

const getBlockedTasks = defineTool({
  name: 'get_blocked_tasks',
  family: 'B',
  description: '[EXTENSION, not in task-mcp] Blocked tasks (full rows incl. blocker_reason), newest first; bare list; optional limit (1-1000).',
  params: [P.ws, P.optInt('limit')],
  async run(a, ctx) {
    checkLimit(a.limit);
    const { db } = openForRead(ctx, a.workspace_path);
    return db.all(
      `SELECT * FROM tasks WHERE deleted_at IS NULL AND status = 'blocked' ORDER BY created_at DESC, id ASC LIMIT ?`,
      a.limit ?? -1);
  },
});

const getTaskDependents = defineTool({
  name: 'get_task_dependents',
  family: 'A',
  description:
    '[EXTENSION, not in task-mcp] For each given task id, the ids of active tasks whose depends_on contains it (ascending). ' +
    'Returns {"dependents": {"<id>": [ids]}}.',
  params: [P.ws, P.req('task_ids', 'int_list')],
  async run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    const dependents: Record<string, number[]> = {};
    for (const id of a.task_ids) dependents[String(id)] = [];
    if (!a.task_ids.length) return { dependents };
    return db.read(() => {
      const index = dependentsIndex(db);
      for (const id of a.task_ids) dependents[String(id)] = dependentsOf(index, id);
      return { dependents };
    });
  },
});

const listTags = defineTool({
  name: 'list_tags',
  family: 'B',
  description: '[EXTENSION, not in task-mcp] Tags of active tasks with the number of tasks carrying each; count desc, then tag asc.',
  params: [P.ws],
  async run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    return tagCounts(db.column<string>("SELECT tags FROM tasks WHERE deleted_at IS NULL AND tags IS NOT NULL AND tags != ''"));
  },
});

/** How many of the given tag strings carry each whole tag; count desc, then tag asc. */
export function tagCounts(tagStrings: Iterable<string>): Array<{ tag: string; count: number }> {
  const counts = new Map<string, number>();
  for (const tags of tagStrings) {
    for (const tag of new Set(pySplit(tags))) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([tag, count]) => ({ tag, count }));
}

export const extensionTools = [getNextTasks, getBlockedTasks, getTaskDependents, listTags];
