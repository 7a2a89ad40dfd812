/**
 * Task detail, as a side panel next to the list / board / graph or as a page of its own: description
 * as sanitised markdown, parent, the subtask tree, depends-on and blocks links both ways, linked
 * entities, blocker reason, file references and timestamps; edit (`e`), add a subtask, delete.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { components } from 'task-viewer-client';
import { shouldRetry, useApi, useTask, useTaskTitles } from '../lib/api';
import { explain, statusOf } from '../lib/errors';
import { useShortcuts } from '../lib/keyboard';
import type { Route } from '../lib/route';
import type { Navigate } from '../lib/router';
import type { Task } from '../lib/types';
import { Dialog, ErrorState, Loading, Markdown, PriorityBadge, StatusBadge, Time } from './common';
import { TaskForm } from './TaskForm';

type TreeNode = components['schemas']['TaskTreeNode'];

interface DetailProps {
  projectId: string;
  taskId: number;
  navigate: Navigate;
  route: Route;
  /** Closing the panel (absent on the full page). */
  onClose?: (() => void) | undefined;
}

/** Link to another task: in the panel it replaces the selected task, on the full page it goes to that page. */
function useOpenTask({ projectId, navigate, route, onClose }: DetailProps) {
  return (id: number) => {
    if (onClose) navigate({ ...route, params: new URLSearchParams({ ...Object.fromEntries(route.params), task: String(id) }) });
    else navigate({ view: 'task', projectId, id, params: new URLSearchParams() });
  };
}

function TaskLink({ id, title, missing, onOpen }: { id: number; title?: string | undefined; missing?: boolean; onOpen: (id: number) => void }) {
  return (
    <button type="button" className="link task-link" onClick={() => onOpen(id)}>
      #{id} {missing ? <span className="muted">(deleted)</span> : (title ?? '…')}
    </button>
  );
}

function Subtree({ nodes, onOpen }: { nodes: TreeNode[]; onOpen: (id: number) => void }) {
  if (nodes.length === 0) return null;
  return (
    <ul className="tree">
      {nodes.map((n) => (
        <li key={n.id}>
          <StatusBadge status={n.status} /> <TaskLink id={n.id} title={n.title} onOpen={onOpen} />
          <Subtree nodes={n.subtasks} onOpen={onOpen} />
        </li>
      ))}
    </ul>
  );
}

export function TaskDetail(props: DetailProps) {
  const { projectId, taskId, navigate, onClose } = props;
  const { $api, canWrite } = useApi();
  const task = useTask(projectId, taskId);
  const scope = { params: { path: { task_id: taskId }, query: { project_id: projectId } } };
  const entities = $api.useQuery('get', '/api/v1/tasks/{task_id}/entities', scope, { retry: shouldRetry });
  const tree = $api.useQuery('get', '/api/v1/tasks/{task_id}/tree', scope, { retry: shouldRetry });
  const t = task.data?.task;
  const titles = useTaskTitles(projectId, t ? [...(t.parent_task_id ? [t.parent_task_id] : []), ...t.depends_on, ...t.blocks_task_ids] : []);
  const [mode, setMode] = useState<'view' | 'edit' | 'subtask' | 'delete'>('view');
  const openTask = useOpenTask(props);

  useShortcuts((key, event) => {
    if (key === 'e' && canWrite && task.data && mode === 'view') {
      event.preventDefault();
      setMode('edit');
    }
  });

  if (task.isPending) return <Loading label={`Loading task #${taskId}…`} />;
  if (task.isError)
    return (
      <div>
        <ErrorState what={`Task #${taskId}`} error={task.error} retry={() => void task.refetch()} />
        {onClose && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </div>
    );
  const current = task.data.task;
  const title = (id: number) => titles.get(id);

  return (
    <article className="task-detail" aria-labelledby="task-title">
      <header className="detail-head">
        <p className="muted small">Task #{current.id}</p>
        <h2 id="task-title">{current.title}</h2>
        <div className="badges">
          <StatusBadge status={current.status} /> <PriorityBadge priority={current.priority} />
          {current.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
        </div>
        <div className="actions">
          {canWrite && (
            <>
              <button type="button" onClick={() => setMode('edit')} aria-keyshortcuts="e">
                Edit
              </button>
              <button type="button" onClick={() => setMode('subtask')}>
                Add subtask
              </button>
              <button type="button" className="danger" onClick={() => setMode('delete')}>
                Delete
              </button>
            </>
          )}
          {onClose ? (
            <>
              <a className="button" href={`#/p/${projectId}/tasks/${current.id}`}>
                Full page
              </a>
              <button type="button" onClick={onClose} aria-label="Close the task panel">
                Close
              </button>
            </>
          ) : (
            <a className="button" href={`#/p/${projectId}/tasks?task=${current.id}`}>
              Back to the list
            </a>
          )}
        </div>
      </header>

      {mode === 'edit' && (
        <Dialog title={`Edit task #${current.id}`} onClose={() => setMode('view')} wide>
          <TaskForm projectId={projectId} task={task.data} onDone={() => setMode('view')} />
        </Dialog>
      )}
      {mode === 'subtask' && (
        <Dialog title={`New subtask of #${current.id}`} onClose={() => setMode('view')} wide>
          <TaskForm projectId={projectId} parentId={current.id} onDone={() => setMode('view')} />
        </Dialog>
      )}
      {mode === 'delete' && (
        <DeleteTask projectId={projectId} task={current} etag={task.data.etag} onCancel={() => setMode('view')} onDeleted={() => (onClose ? onClose() : navigate({ view: 'tasks', projectId, params: new URLSearchParams() }))} />
      )}

      {current.status === 'blocked' && (
        <section className="callout warn">
          <h3>Blocked</h3>
          <p>{current.blocker_reason ?? 'No reason given.'}</p>
        </section>
      )}

      <section>
        <h3>Description</h3>
        <Markdown text={current.description} />
      </section>

      <section className="links">
        <h3>Relations</h3>
        <dl>
          <dt>Parent</dt>
          <dd>{current.parent_task_id ? <TaskLink id={current.parent_task_id} {...title(current.parent_task_id)} onOpen={openTask} /> : <span className="muted">none</span>}</dd>
          <dt>Depends on</dt>
          <dd>
            {current.depends_on.length === 0 ? (
              <span className="muted">nothing</span>
            ) : (
              <ul>
                {current.depends_on.map((id) => (
                  <li key={id}>
                    {title(id)?.status && <StatusBadge status={title(id)!.status!} />} <TaskLink id={id} {...title(id)} onOpen={openTask} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Blocks</dt>
          <dd>
            {current.blocks_task_ids.length === 0 ? (
              <span className="muted">no task waits for this one</span>
            ) : (
              <ul>
                {current.blocks_task_ids.map((id) => (
                  <li key={id}>
                    {title(id)?.status && <StatusBadge status={title(id)!.status!} />} <TaskLink id={id} {...title(id)} onOpen={openTask} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      </section>

      <section>
        <h3>
          Subtasks {current.subtask_count > 0 && <span className="muted">({current.subtask_done_count}/{current.subtask_count} done)</span>}
        </h3>
        {tree.isPending ? <Loading label="Loading subtasks…" /> : tree.isError ? <ErrorState what="The subtasks" error={tree.error} retry={() => void tree.refetch()} /> : tree.data.subtasks.length === 0 ? <p className="muted">None.</p> : <Subtree nodes={tree.data.subtasks} onOpen={openTask} />}
      </section>

      <section>
        <h3>Linked entities</h3>
        {entities.isPending ? (
          <Loading label="Loading entities…" />
        ) : entities.isError ? (
          <ErrorState what="The linked entities" error={entities.error} retry={() => void entities.refetch()} />
        ) : entities.data.entities.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul>
            {entities.data.entities.map((e) => (
              <li key={e.id}>
                <a href={`#/p/${projectId}/entities/${e.id}`}>
                  {e.name}
                </a>{' '}
                <span className="muted small">
                  {e.entity_type}
                  {e.identifier ? ` · ${e.identifier}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h3>File references</h3>
        {current.file_references.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="files">
            {current.file_references.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h3>History</h3>
        <dl className="times">
          <dt>Created</dt>
          <dd>
            <Time value={current.created_at} /> {current.created_by && <span className="muted small">by {current.created_by}</span>}
          </dd>
          <dt>Updated</dt>
          <dd>
            <Time value={current.updated_at} />
          </dd>
          <dt>Completed</dt>
          <dd>
            <Time value={current.completed_at} />
          </dd>
        </dl>
      </section>
    </article>
  );
}

function DeleteTask({ projectId, task, etag, onCancel, onDeleted }: { projectId: string; task: Task; etag: string; onCancel: () => void; onDeleted: () => void }) {
  const { tv } = useApi();
  const queryClient = useQueryClient();
  const [cascade, setCascade] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; stale: boolean } | undefined>();
  const run = async (useEtag: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await tv.deleteTaskIfMatch(task.id, useEtag, { project_id: projectId, ...(cascade ? { cascade: true } : {}) });
      onDeleted();
      await queryClient.invalidateQueries();
    } catch (err) {
      setError({ message: explain(err).message, stale: statusOf(err) === 412 });
    } finally {
      setBusy(false);
    }
  };
  const reloadAndRetry = async () => {
    const fresh = await tv.getTaskWithEtag(task.id, { project_id: projectId });
    await run(fresh.etag);
  };
  return (
    <Dialog title={`Delete task #${task.id}?`} onClose={onCancel}>
      <p>
        “{task.title}” will be deleted (task-mcp keeps it as deleted until its cleanup runs).
      </p>
      {task.subtask_count > 0 && (
        <label className="check">
          <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} /> Also delete its {task.subtask_count} direct subtask
          {task.subtask_count === 1 ? '' : 's'}
        </label>
      )}
      {error && (
        <div className="form-error" role="alert">
          <p>{error.message}</p>
          {error.stale && (
            <button type="button" onClick={() => void reloadAndRetry()}>
              Reload and retry
            </button>
          )}
        </div>
      )}
      <div className="actions">
        <button type="button" className="danger primary" disabled={busy} onClick={() => void run(etag)}>
          Delete
        </button>
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** The detail beside a list, board or graph. */
export function TaskPanel(props: DetailProps & { onClose: () => void }) {
  return (
    <aside className="side-panel" aria-label={`Task #${props.taskId}`}>
      <TaskDetail key={props.taskId} {...props} />
    </aside>
  );
}

/** The detail as a page of its own (`#/p/<project>/tasks/<id>`). */
export function TaskPage(props: Omit<DetailProps, 'onClose'>) {
  return (
    <main id="main" className="page task-page">
      <TaskDetail key={props.taskId} {...props} />
    </main>
  );
}
