/** task-mcp's project tools (docs/task-mcp-compatibility.md, "Tools"): list, info, name, usage stats. */
import { ToolError } from '../errors.js';
import { hash8 } from '../paths.js';
import { PyFloat } from '../pytext.js';
import { allProjects, register } from '../registry.js';
import type { Connection } from '../store.js';
import { rangeIso } from '../timestamps.js';
import { P, defineTool, ensureAbsolute, openForRead, resolveWs } from './common.js';

/** Python round(x, 2) on a float result, kept a float for `75.0`-style output. */
const round2 = (x: number) => new PyFloat(Math.round(x * 100) / 100);

export interface ProjectCounts {
  total: number;
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
}

/** Whole-project counts of active tasks (zero keys omitted, keys ascending), memoized until the database changes. */
export function projectCounts(db: Connection): ProjectCounts {
  return db.memo('project_info_counts', () => {
    const total = db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tasks WHERE deleted_at IS NULL')!.n;
    const byStatus: Record<string, number> = {};
    for (const r of db.all<{ k: string | null; n: number }>('SELECT status AS k, COUNT(*) AS n FROM tasks WHERE deleted_at IS NULL GROUP BY status ORDER BY status')) byStatus[String(r.k)] = r.n;
    const byPriority: Record<string, number> = {};
    for (const r of db.all<{ k: string | null; n: number }>('SELECT priority AS k, COUNT(*) AS n FROM tasks WHERE deleted_at IS NULL GROUP BY priority ORDER BY priority')) byPriority[String(r.k)] = r.n;
    return { total, byStatus, byPriority };
  });
}

const listProjects = defineTool({
  name: 'list_projects',
  family: 'B',
  description: 'List all registered projects, most recently accessed first.',
  params: [],
  run(_a, ctx) {
    return allProjects(ctx.store);
  },
});

const getProjectInfo = defineTool({
  name: 'get_project_info',
  family: 'A',
  description: 'Project row plus task statistics (total_tasks, by_status, by_priority, blocked_count).',
  params: [P.ws],
  async run(a, ctx) {
    const { db, project } = openForRead(ctx, a.workspace_path);
    // task-mcp registers first, so it never reaches this text; we do not register on reads.
    if (!project) throw new ToolError(`Project not found: ${a.workspace_path}`);
    return db.read(() => {
      const counts = projectCounts(db);
      const byStatus = { ...counts.byStatus };
      return { ...project, total_tasks: counts.total, by_status: byStatus, by_priority: { ...counts.byPriority }, blocked_count: byStatus.blocked ?? 0 };
    });
  },
});

const setProjectName = defineTool({
  name: 'set_project_name',
  family: 'A',
  description: 'Set a friendly name for a project.',
  params: [P.ws, P.reqStr('friendly_name')],
  async run(a, ctx) {
    const resolved = ensureAbsolute(a.workspace_path);
    const id = await register(ctx.store, resolved);
    const m = ctx.store.master();
    await m.write(() => m.run('UPDATE projects SET friendly_name = ? WHERE id = ?', a.friendly_name, id));
    return { success: true, project_id: id, workspace_path: a.workspace_path, friendly_name: a.friendly_name };
  },
});

const getUsageStats = defineTool({
  name: 'get_usage_stats',
  family: 'A',
  description: 'Tool usage statistics from master.tool_usage (no project registration).',
  params: [P.ws, P.def('days', 'int', 30), P.optStr('tool_name')],
  run(a, ctx) {
    const wsId = hash8(resolveWs(a.workspace_path));
    const { start, end } = rangeIso(a.days);
    // A missing master.db reads as an empty one (reads create nothing).
    const m = ctx.store.masterIfExists();
    let where = 'workspace_id = ? AND timestamp >= ?';
    const params: unknown[] = [wsId, start];
    if (a.tool_name) (where += ' AND tool_name = ?', params.push(a.tool_name));
    const totals = m?.get<{ total: number; ok: number | null }>(`SELECT COUNT(*) AS total, SUM(success) AS ok FROM tool_usage WHERE ${where}`, ...params) ?? { total: 0, ok: null };
    const tools = (m?.all<{ tool_name: string; calls: number; successful: number }>(`SELECT tool_name, COUNT(*) AS calls, SUM(success) AS successful FROM tool_usage WHERE ${where} GROUP BY tool_name ORDER BY calls DESC`, ...params) ?? [])
      .map((t) => ({ tool_name: t.tool_name, calls: t.calls, successful: t.successful, success_rate: round2((t.successful / t.calls) * 100) }));
    const timeline = m?.all(`SELECT DATE(timestamp) AS date, COUNT(*) AS calls FROM tool_usage WHERE ${where} GROUP BY DATE(timestamp) ORDER BY date ASC`, ...params) ?? [];
    return {
      total_calls: totals.total,
      successful_calls: totals.ok,
      success_rate: totals.total > 0 ? round2(((totals.ok ?? 0) / totals.total) * 100) : 0,
      tools,
      timeline,
      date_range: { start, end, days: a.days },
      filter: { workspace_id: wsId, tool_name: a.tool_name },
    };
  },
});

export const projectTools = [listProjects, getProjectInfo, setProjectName, getUsageStats];
