/**
 * The dependency and hierarchy graph of a project or a subtree, from one call (GET /api/v1/tasks/graph),
 * laid out with dagre and drawn with React Flow. An arrow points from a task to the tasks waiting for
 * it; dashed lines join a parent to its subtasks. Clicking a node (or Enter on it) opens the task.
 * This screen is a chunk of its own: React Flow and dagre load only when it is opened.
 */
import dagre from '@dagrejs/dagre';
import { Background, Controls, type Edge, MarkerType, type Node, Position, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type FormEvent, useMemo, useState } from 'react';
import { Empty, ErrorState, Loading } from '../components/common';
import { TaskPanel } from '../components/TaskDetail';
import { shouldRetry, useApi } from '../lib/api';
import { useShortcuts } from '../lib/keyboard';
import type { Route } from '../lib/route';
import { withParams } from '../lib/route';
import type { Navigate } from '../lib/router';
import { STATUS_LABELS, type Schemas } from '../lib/types';

type Graph = Schemas['TaskGraph'];
const NODE_W = 220;
const NODE_H = 64;

export function layout(graph: Graph): { nodes: Node[]; edges: Edge[] } {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(String(n.id), { width: NODE_W, height: NODE_H });
  for (const e of graph.edges) {
    // Prerequisite first: `source` waits for `target`, so the arrow runs target -> source.
    if (e.type === 'depends_on') g.setEdge(String(e.target), String(e.source));
    else g.setEdge(String(e.source), String(e.target));
  }
  dagre.layout(g);
  const nodes: Node[] = graph.nodes.map((n) => {
    const pos = g.node(String(n.id));
    return {
      id: String(n.id),
      // dagre gives centres; React Flow wants the top-left corner.
      position: { x: (pos?.x ?? 0) - NODE_W / 2, y: (pos?.y ?? 0) - NODE_H / 2 },
      data: { label: `#${n.id} ${n.title} · ${STATUS_LABELS[n.status]}` },
      className: `graph-node status-${n.status}`,
      style: { width: NODE_W, height: NODE_H },
      ariaLabel: `Task #${n.id}: ${n.title}, ${STATUS_LABELS[n.status]}, ${n.priority} priority`,
      // Left to right, like the layout: edges leave on the right and arrive on the left.
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      connectable: false,
      draggable: false,
    };
  });
  const edges: Edge[] = graph.edges.map((e) => {
    const depends = e.type === 'depends_on';
    const source = String(depends ? e.target : e.source);
    const target = String(depends ? e.source : e.target);
    return {
      id: `${e.type}-${e.source}-${e.target}`,
      source,
      target,
      className: `graph-edge ${e.type}`,
      ...(depends ? { markerEnd: { type: MarkerType.ArrowClosed } } : { style: { strokeDasharray: '5 4' } }),
    };
  });
  return { nodes, edges };
}

export default function GraphScreen({ route, navigate, projectId }: { route: Route; navigate: Navigate; projectId: string }) {
  const { $api } = useApi();
  const root = Number(route.params.get('root')) || undefined;
  const selectedTask = Number(route.params.get('task')) || undefined;
  const [rootText, setRootText] = useState(root ? String(root) : '');
  const graph = $api.useQuery('get', '/api/v1/tasks/graph', { params: { query: { project_id: projectId, max_nodes: 500, ...(root ? { root_task_id: root } : {}) } } }, { retry: shouldRetry });
  const drawn = useMemo(() => (graph.data ? layout(graph.data) : undefined), [graph.data]);
  const open = (id: number) => navigate({ ...route, params: withParams(route.params, { task: id }) });
  const close = () => navigate({ ...route, params: withParams(route.params, { task: undefined }) });
  useShortcuts((key) => key === 'Escape' && selectedTask && close());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate({ ...route, params: withParams(route.params, { root: Number(rootText) || undefined }) });
  };

  return (
    <div className={`with-panel${selectedTask ? ' panel-open' : ''}`}>
      <main id="main" className="page graph-page">
        <h1 className="visually-hidden">Dependency graph</h1>
        <form className="graph-toolbar" onSubmit={submit}>
          <span className="field">
            <label htmlFor="graph-root">Subtree of task #</label>
            <input id="graph-root" inputMode="numeric" pattern="\d*" value={rootText} onChange={(e) => setRootText(e.target.value)} placeholder="whole project" />
          </span>
          <button type="submit">Show</button>
          {root && (
            <button type="button" onClick={() => (setRootText(''), navigate({ ...route, params: withParams(route.params, { root: undefined }) }))}>
              Whole project
            </button>
          )}
          <p className="muted small legend">Arrows run from a task to the tasks that wait for it; dashed lines join a parent to its subtasks.</p>
        </form>
        {graph.isPending ? (
          <Loading label="Loading the graph…" />
        ) : graph.isError ? (
          <ErrorState what="The graph" error={graph.error} retry={() => void graph.refetch()} />
        ) : graph.data.nodes.length === 0 ? (
          <Empty>No tasks to draw.</Empty>
        ) : (
          <>
            <p className="summary" role="status">
              {graph.data.nodes.length} tasks, {graph.data.edges.filter((e) => e.type === 'depends_on').length} dependencies
              {graph.data.truncated && <strong className="warn-text"> · showing {graph.data.nodes.length} of {graph.data.total_nodes}: pick a subtree to see the rest</strong>}
            </p>
            <div className="graph-canvas" data-testid="graph">
              <ReactFlow
                nodes={drawn!.nodes}
                edges={drawn!.edges}
                fitView
                minZoom={0.1}
                nodesDraggable={false}
                nodesConnectable={false}
                elementsSelectable
                onNodeClick={(_, node) => open(Number(node.id))}
                // Keyboard: Tab to a node, Enter selects it, which opens it too.
                onSelectionChange={({ nodes }) => nodes.length === 1 && Number(nodes[0]!.id) !== selectedTask && open(Number(nodes[0]!.id))}
                onNodesChange={() => undefined}
                proOptions={{ hideAttribution: true }}
              >
                <Background />
                <Controls showInteractive={false} />
              </ReactFlow>
            </div>
          </>
        )}
      </main>
      {selectedTask && <TaskPanel projectId={projectId} taskId={selectedTask} onClose={close} navigate={navigate} route={route} />}
    </div>
  );
}
