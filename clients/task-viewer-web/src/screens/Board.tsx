/**
 * The board: one column per status, each a paged query of its own. Dragging a card (mouse, touch, or
 * keyboard: focus its handle, Space, arrow keys, Space) moves it at once (optimistic) and sends
 * PATCH with If-Match; when task-mcp refuses (an invalid transition, open dependencies, a missing
 * blocker reason) the card snaps back and the refusal is explained. Moving to Blocked asks for a reason.
 */
import { type CollisionDetection, DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, pointerWithin, rectIntersection, useDraggable, useDroppable, useSensor, useSensors } from '@dnd-kit/core';
import { type InfiniteData, type QueryKey, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { TaskViewerApiError } from 'task-viewer-client';
import { Dialog, ErrorState, Loading, PriorityBadge } from '../components/common';
import { FilterBar } from '../components/FilterBar';
import { TaskPanel } from '../components/TaskDetail';
import { shouldRetry, taskKey, useApi } from '../lib/api';
import { explain } from '../lib/errors';
import { type TaskFilters, filtersFromParams, filtersToParams, toListQuery } from '../lib/filters';
import { useShortcuts } from '../lib/keyboard';
import type { Route } from '../lib/route';
import type { Navigate } from '../lib/router';
import { STATUSES, STATUS_LABELS, type ListTasksQuery, type Schemas, type Task, type TaskStatus } from '../lib/types';

const COLUMN_PAGE = 50;
type TaskList = Schemas['TaskList'];
type Columns = InfiniteData<TaskList, unknown>;

/** The column under the pointer (a wide card overlaps its neighbour); the keyboard has no pointer, so it uses overlap. */
const columnUnderPointer: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length > 0 ? hits : rectIntersection(args);
};

/** This page changed the task since the board read it: treated like a 412. */
class StaleCard extends Error {}

interface Move {
  task: Task;
  to: TaskStatus;
  reason?: string | undefined;
}

/** The column query key's status, for the optimistic update (keys are `[method, path, init]`). */
function columnStatus(key: QueryKey): TaskStatus | undefined {
  const init = key[2] as { params?: { query?: ListTasksQuery } } | undefined;
  const status = init?.params?.query?.status;
  return key[1] === '/api/v1/tasks' && init?.params?.query?.offset === undefined && status?.length === 1 ? status[0] : undefined;
}

function Card({ task, onOpen, canWrite, selected }: { task: Task; onOpen: (id: number) => void; canWrite: boolean; selected: boolean }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, isDragging } = useDraggable({ id: task.id, data: { task }, disabled: !canWrite });
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined;
  return (
    <li ref={setNodeRef} style={style} className={`card task-card priority-edge-${task.priority}${isDragging ? ' dragging' : ''}${selected ? ' selected' : ''}`} data-task-id={task.id}>
      {canWrite && (
        <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Move task #${task.id}: ${task.title}`}>
          ⠿
        </button>
      )}
      <div className="card-body">
        <button type="button" className="title-link" onClick={() => onOpen(task.id)}>
          {task.title}
        </button>
        <div className="card-meta">
          <span className="muted small">#{task.id}</span> <PriorityBadge priority={task.priority} />
          {task.subtask_count > 0 && <span className="muted small"> · {task.subtask_done_count}/{task.subtask_count} subtasks</span>}
          {task.status === 'blocked' && task.blocker_reason && <p className="small warn-text">{task.blocker_reason}</p>}
        </div>
      </div>
    </li>
  );
}

function Column({ status, query, onOpen, canWrite, selected }: { status: TaskStatus; query: ListTasksQuery; onOpen: (id: number) => void; canWrite: boolean; selected: number | undefined }) {
  const { $api } = useApi();
  const { setNodeRef, isOver } = useDroppable({ id: status });
  const column = $api.useInfiniteQuery(
    'get',
    '/api/v1/tasks',
    { params: { query: { ...query, status: [status], limit: COLUMN_PAGE } } },
    {
      pageParamName: 'offset',
      initialPageParam: 0,
      getNextPageParam: (last: TaskList) => (last.offset + last.tasks.length < last.total ? last.offset + last.tasks.length : undefined),
      retry: shouldRetry,
    },
  );
  const tasks = column.data?.pages.flatMap((p) => p.tasks) ?? [];
  const total = column.data?.pages[0]?.total ?? 0;
  const headingId = `col-${status}`;
  return (
    <section ref={setNodeRef} className={`column${isOver ? ' over' : ''}`} aria-labelledby={headingId} data-status={status}>
      <h2 id={headingId} className={`column-head status-${status}`}>
        {STATUS_LABELS[status]} <span className="count">{column.data ? total : ''}</span>
      </h2>
      {column.isPending ? (
        <Loading />
      ) : column.isError ? (
        <ErrorState what="This column" error={column.error} retry={() => void column.refetch()} />
      ) : tasks.length === 0 ? (
        <p className="muted small column-empty">No tasks</p>
      ) : (
        <ul className="cards">
          {tasks.map((t) => (
            <Card key={t.id} task={t} onOpen={onOpen} canWrite={canWrite} selected={t.id === selected} />
          ))}
        </ul>
      )}
      {column.hasNextPage && (
        <button type="button" className="link" disabled={column.isFetchingNextPage} onClick={() => void column.fetchNextPage()}>
          {column.isFetchingNextPage ? 'Loading…' : `Show more (${tasks.length} of ${total})`}
        </button>
      )}
    </section>
  );
}

export function Board({ route, navigate, projectId }: { route: Route; navigate: Navigate; projectId: string }) {
  const { tv, canWrite } = useApi();
  const queryClient = useQueryClient();
  const filters = useMemo(() => filtersFromParams(route.params), [route.params]);
  const query = useMemo(() => {
    const { status: _status, ...rest } = toListQuery({ ...filters, status: [] }, projectId);
    return rest;
  }, [filters, projectId]);
  const selectedTask = Number(route.params.get('task')) || undefined;
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string; detail?: string | undefined } | undefined>();
  const [askReason, setAskReason] = useState<Move | undefined>();
  // Without `sensors` dnd-kit has a keyboard sensor; naming sensors replaces the defaults, so both are listed.
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor));

  const setFilters = (next: TaskFilters, options?: { replace?: boolean }) => navigate({ ...route, params: filtersToParams(next, route.params) }, options);
  const open = (id: number) => navigate({ ...route, params: new URLSearchParams({ ...Object.fromEntries(route.params), task: String(id) }) });
  const close = () => {
    const params = new URLSearchParams(route.params);
    params.delete('task');
    navigate({ ...route, params });
  };
  useShortcuts((key, event) => {
    if (key === 'Escape' && selectedTask) close();
    else if (key === '/') {
      event.preventDefault();
      document.getElementById('task-search')?.focus();
    }
  });

  async function move({ task, to, reason }: Move) {
    const from = task.status;
    setMessage(undefined);
    await queryClient.cancelQueries({ queryKey: ['get', '/api/v1/tasks'] });
    const snapshot = queryClient.getQueriesData<Columns>({ queryKey: ['get', '/api/v1/tasks'] });
    // Optimistic: take the card out of its column and put it on top of the target column.
    for (const [key, data] of snapshot) {
      const status = columnStatus(key);
      if (!data || !status || !data.pages) continue;
      if (status === from)
        queryClient.setQueryData<Columns>(key, { ...data, pages: data.pages.map((p, i) => ({ ...p, tasks: p.tasks.filter((t) => t.id !== task.id), total: i === 0 ? p.total - 1 : p.total })) });
      if (status === to)
        queryClient.setQueryData<Columns>(key, { ...data, pages: data.pages.map((p, i) => (i === 0 ? { ...p, tasks: [{ ...task, status: to }, ...p.tasks], total: p.total + 1 } : p)) });
    }
    try {
      // If-Match needs the task's ETag, which list items do not carry: read it, and refuse when the
      // task changed since the board showed it (as a 412 would).
      const { task: fresh, etag } = await tv.getTaskWithEtag(task.id, { project_id: projectId });
      if (fresh.status !== from || fresh.updated_at !== task.updated_at) throw new StaleCard();
      const saved = await tv.updateTaskIfMatch(task.id, etag, { status: to, ...(reason ? { blocker_reason: reason } : {}) }, { project_id: projectId });
      queryClient.setQueryData(taskKey(projectId, task.id), saved);
      setMessage({ kind: 'ok', text: `Task #${task.id} moved to ${STATUS_LABELS[to]}.` });
    } catch (err) {
      for (const [key, data] of snapshot) queryClient.setQueryData(key, data);
      if (err instanceof StaleCard || (err instanceof TaskViewerApiError && err.status === 412)) {
        setMessage({ kind: 'error', text: `Task #${task.id} changed since the board loaded it; the board is reloaded. Move it again if you still want to.` });
      } else {
        const e = explain(err, { from, to });
        setMessage({ kind: 'error', text: `Task #${task.id} could not move from ${STATUS_LABELS[from]} to ${STATUS_LABELS[to]}. ${e.message}`, detail: e.detail });
      }
    } finally {
      await queryClient.invalidateQueries();
    }
  }

  const onDragEnd = (event: DragEndEvent) => {
    const task = event.active.data.current?.task as Task | undefined;
    const to = event.over?.id as TaskStatus | undefined;
    if (!task || !to || to === task.status) return;
    if (to === 'blocked') setAskReason({ task, to });
    else void move({ task, to });
  };

  return (
    <div className={`with-panel${selectedTask ? ' panel-open' : ''}`}>
      <main id="main" className="page board-page">
        <h1 className="visually-hidden">Board</h1>
        <FilterBar filters={filters} onChange={setFilters} showStatus={false} />
        <div className={`board-message ${message?.kind ?? ''}`} role={message?.kind === 'error' ? 'alert' : 'status'} aria-live="polite">
          {message && (
            <>
              <p>{message.text}</p>
              {message.detail && <p className="detail">task-mcp said: {message.detail}</p>}
            </>
          )}
        </div>
        {!canWrite && <p className="muted small">This key may only read: cards cannot be moved.</p>}
        <DndContext sensors={sensors} collisionDetection={columnUnderPointer} onDragEnd={onDragEnd} accessibility={{ screenReaderInstructions: { draggable: 'To move a task, press Space, use the arrow keys to reach another column, and press Space again. Escape cancels.' } }}>
          <div className="board">
            {STATUSES.map((s) => (
              <Column key={s} status={s} query={query} onOpen={open} canWrite={canWrite} selected={selectedTask} />
            ))}
          </div>
        </DndContext>
      </main>
      {askReason && (
        <BlockerReason
          move={askReason}
          onCancel={() => setAskReason(undefined)}
          onSubmit={(reason) => {
            setAskReason(undefined);
            void move({ ...askReason, reason });
          }}
        />
      )}
      {selectedTask && <TaskPanel projectId={projectId} taskId={selectedTask} onClose={close} navigate={navigate} route={route} />}
    </div>
  );
}

function BlockerReason({ move, onCancel, onSubmit }: { move: Move; onCancel: () => void; onSubmit: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) onSubmit(reason.trim());
  };
  return (
    <Dialog title={`Why is task #${move.task.id} blocked?`} onClose={onCancel}>
      <form className="form" onSubmit={submit}>
        <label htmlFor="blocker-reason">Blocker reason (task-mcp needs one)</label>
        <input id="blocker-reason" required autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
        <div className="actions">
          <button type="submit" className="primary">
            Move to Blocked
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
