/**
 * get_task_graph (EXTENSION; docs/task-mcp-compatibility.md, "get_task_graph"): the nodes and the
 * depends_on/parent edges of a project or of one task's subtree, capped at max_nodes with a truncated flag.
 * The subtree walk is breadth-first with a visited set, so parent cycles (task-mcp allows a task to be
 * its own parent) end. Its twin for backends without it: `taskGraphOf` in src/service/fallbacks.ts.
 */
import { ToolError } from '../errors.js';
import { P, defineTool, openForRead, parseIdList } from './common.js';
import { activeTask } from './tasks.js';

interface NodeRow {
  id: number;
  title: string;
  status: string;
  priority: string | null;
  parent_task_id: number | null;
  depends_on: string | null;
}

const NODE_COLS = 'id, title, status, priority, parent_task_id, depends_on';

const getTaskGraph = defineTool({
  name: 'get_task_graph',
  family: 'json',
  description:
    '[EXTENSION, not in task-mcp] Dependency and hierarchy graph: nodes {id, title, status, priority, parent_task_id, depends_on} ' +
    'of every active task (ascending id) or of root_task_id and its active descendants (breadth-first), optionally filtered by ' +
    'status, at most max_nodes; edges {source, target, type: "depends_on"|"parent"} between returned nodes.',
  params: [P.ws, P.optInt('root_task_id'), P.opt('status', 'str_list'), { name: 'max_nodes', kind: 'int', default: 500, ge: 1, le: 5000 }],
  async run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    const statuses = a.status === null ? null : new Set(a.status);
    return db.read(() => {
      let all: NodeRow[];
      let total: number;
      if (a.root_task_id === null) {
        const where = ['deleted_at IS NULL'];
        const params: unknown[] = [];
        if (a.status !== null) (where.push('status IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(a.status)));
        const cond = where.join(' AND ');
        all = db.all<NodeRow>(`SELECT ${NODE_COLS} FROM tasks WHERE ${cond} ORDER BY id LIMIT ?`, ...params, a.max_nodes);
        total = db.memo(`graph-total:${cond}:${JSON.stringify(params)}`, () => db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks WHERE ${cond}`, ...params)!.n);
      } else {
        const root = activeTask(db, a.root_task_id);
        if (!root) throw new ToolError(`Task ${a.root_task_id} not found`);
        const order: NodeRow[] = [root as unknown as NodeRow];
        const seen = new Set<number>([a.root_task_id]);
        let level = [a.root_task_id];
        while (level.length) {
          const kids = db.all<NodeRow>(
            `SELECT ${NODE_COLS} FROM tasks WHERE deleted_at IS NULL AND parent_task_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
            JSON.stringify(level));
          const byParent = new Map<number, NodeRow[]>();
          for (const k of kids) {
            if (seen.has(k.id)) continue;
            const list = byParent.get(k.parent_task_id!);
            if (list) list.push(k);
            else byParent.set(k.parent_task_id!, [k]);
          }
          const next: number[] = [];
          for (const parent of level) {
            for (const k of byParent.get(parent) ?? []) {
              if (seen.has(k.id)) continue;
              seen.add(k.id);
              order.push(k);
              next.push(k.id);
            }
          }
          level = next;
        }
        const filtered = statuses ? order.filter((n) => statuses.has(n.status)) : order;
        total = filtered.length;
        all = filtered.slice(0, a.max_nodes);
      }
      const returned = new Set(all.map((n) => n.id));
      const nodes = all.map((n) => ({
        id: n.id, title: n.title, status: n.status, priority: n.priority, parent_task_id: n.parent_task_id, depends_on: parseIdList(n.depends_on),
      }));
      const edges: Array<{ source: number; target: number; type: 'depends_on' | 'parent' }> = [];
      for (const n of nodes) {
        for (const dep of new Set(n.depends_on)) if (returned.has(dep)) edges.push({ source: n.id, target: dep, type: 'depends_on' });
        if (n.parent_task_id !== null && returned.has(n.parent_task_id)) edges.push({ source: n.parent_task_id, target: n.id, type: 'parent' });
      }
      return { nodes, edges, total_nodes: total, truncated: total > nodes.length, root_task_id: a.root_task_id };
    });
  },
});

export const graphTools = [getTaskGraph];
