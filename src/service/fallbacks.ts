/**
 * The answers our extension tools give, computed from task-mcp's own `list_tasks` rows, for backends
 * without them (the Python task-mcp, or the embedded server with TASK_MCP_STRICT=true). Each function
 * mirrors one extension tool of src/taskmcp/tools/extensions.ts and must give the same answer
 * (test/api/transports.test.ts runs every read against a strict backend and compares).
 */
import { toIntArray, toTags } from './adapter.js';
import type { Row } from './tool-backend.js';

const PRIORITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

/** Mirrors `get_next_tasks`: todo tasks whose existing, not deleted dependencies are all done; high priority, then oldest, first. */
export function nextTasksOf(all: Row[]): Row[] {
  const statusById = new Map(all.map((t) => [Number(t.id), String(t.status)]));
  return all
    .filter((t) => t.status === 'todo')
    .filter((t) => toIntArray(t.depends_on).every((dep) => (statusById.get(dep) ?? 'done') === 'done'))
    .sort(
      (a, b) =>
        (PRIORITY_RANK[String(a.priority)] ?? 1) - (PRIORITY_RANK[String(b.priority)] ?? 1) ||
        String(a.created_at).localeCompare(String(b.created_at)) ||
        Number(a.id) - Number(b.id),
    );
}

/** Mirrors `list_tags`: tags of active tasks with the number of tasks carrying each; most used first, then by name. */
export function tagCountsOf(all: Row[]): Array<{ tag: string; count: number }> {
  const counts = new Map<string, number>();
  for (const task of all) for (const tag of new Set(toTags(task.tags))) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

/** Mirrors `get_task_dependents`: for each wanted id, the ascending ids of the tasks listing it in depends_on. */
export function dependentsOf(all: Row[], wanted: readonly number[]): Record<string, number[]> {
  const want = new Set(wanted);
  const dependents: Record<string, number[]> = {};
  for (const task of all) {
    for (const dep of toIntArray(task.depends_on)) if (want.has(dep)) (dependents[dep] ??= []).push(Number(task.id));
  }
  for (const list of Object.values(dependents)) list.sort((a, b) => a - b);
  return dependents;
}

