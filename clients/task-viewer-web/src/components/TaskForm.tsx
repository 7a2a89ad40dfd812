/**
 * Creating and editing a task: every field the API lets a client set. Edits send only what changed,
 * with If-Match (the ETag read when editing started); a 412 offers to reload the task and apply the
 * same changes again. Creates carry an Idempotency-Key, so a retried submit never creates twice.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { TaskViewerApiError } from 'task-viewer-client';
import { taskKey, useApi } from '../lib/api';
import { explain, statusOf } from '../lib/errors';
import { uuid } from '../lib/uuid';
import { PRIORITIES, PRIORITY_LABELS, STATUSES, STATUS_LABELS, type Priority, type Task, type TaskCreate, type TaskStatus, type TaskUpdate } from '../lib/types';

interface Draft {
  title: string;
  description: string;
  status: TaskStatus;
  priority: Priority;
  blocker_reason: string;
  parent: string;
  depends: string;
  tags: string;
  files: string;
}

const ids = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean).map(Number))].filter((n) => Number.isInteger(n) && n > 0);
const words = (text: string) => [...new Set(text.split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter(Boolean))];
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function draftOf(task: Task | undefined, parentId?: number): Draft {
  return {
    title: task?.title ?? '',
    description: task?.description ?? '',
    status: task?.status ?? 'todo',
    priority: task?.priority ?? 'medium',
    blocker_reason: task?.blocker_reason ?? '',
    parent: String(task?.parent_task_id ?? parentId ?? ''),
    depends: (task?.depends_on ?? []).join(', '),
    tags: (task?.tags ?? []).join(' '),
    files: (task?.file_references ?? []).join('\n'),
  };
}

/** The PATCH body: only the fields that differ from the task. */
export function changesOf(task: Task, draft: Draft): TaskUpdate {
  const changes: TaskUpdate = {};
  if (draft.title.trim() !== task.title) changes.title = draft.title.trim();
  if (draft.description !== (task.description ?? '')) changes.description = draft.description;
  if (draft.status !== task.status) changes.status = draft.status;
  if (draft.priority !== task.priority) changes.priority = draft.priority;
  if (draft.status === 'blocked' && draft.blocker_reason.trim() && draft.blocker_reason.trim() !== (task.blocker_reason ?? '')) changes.blocker_reason = draft.blocker_reason.trim();
  const parent = ids(draft.parent)[0];
  if (parent !== undefined && parent !== task.parent_task_id) changes.parent_task_id = parent;
  const depends = ids(draft.depends);
  if (!same(depends, task.depends_on)) changes.depends_on = depends;
  const tags = words(draft.tags);
  if (!same(tags, task.tags)) changes.tags = tags;
  const files = lines(draft.files);
  if (!same(files, task.file_references)) changes.file_references = files;
  return changes;
}

export function createBody(draft: Draft): TaskCreate {
  const body: TaskCreate = { title: draft.title.trim(), priority: draft.priority };
  if (draft.description.trim()) body.description = draft.description;
  if (draft.status !== 'todo' && draft.status !== 'blocked') body.status = draft.status;
  const parent = ids(draft.parent)[0];
  if (parent !== undefined) body.parent_task_id = parent;
  const depends = ids(draft.depends);
  if (depends.length) body.depends_on = depends;
  const tags = words(draft.tags);
  if (tags.length) body.tags = tags;
  const files = lines(draft.files);
  if (files.length) body.file_references = files;
  return body;
}

interface Props {
  projectId: string;
  /** Edit this task (with the ETag read alongside it); omitted: create a new one. */
  task?: { task: Task; etag: string } | undefined;
  parentId?: number | undefined;
  onDone: (task?: Task) => void;
}

export function TaskForm({ projectId, task, parentId, onDone }: Props) {
  const { tv } = useApi();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(task?.task, parentId));
  // Frozen when the form opens: the task prop follows live updates, the user's edits are against this.
  const [original] = useState(task);
  const [base, setBase] = useState(task);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; detail?: string | undefined; stale?: boolean } | undefined>();
  const idempotencyKey = useMemo(() => uuid(), []);
  const editing = !!base;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const refresh = async (saved?: Task) => {
    await queryClient.invalidateQueries();
    onDone(saved);
  };

  /**
   * Edits are the fields changed against the task as the form first showed it, sent with the ETag of
   * `current`: after a 412 the same changes go onto the newer version, leaving others' changes alone.
   */
  async function save(current: { task: Task; etag: string } | undefined) {
    setBusy(true);
    setError(undefined);
    try {
      if (current && original) {
        const changes = changesOf(original.task, draft);
        if (Object.keys(changes).length === 0) return onDone();
        const saved = await tv.updateTaskIfMatch(current.task.id, current.etag, changes, { project_id: projectId });
        queryClient.setQueryData(taskKey(projectId, saved.task.id), saved);
        await refresh(saved.task);
      } else {
        const { data, error: err, response } = await tv.api.POST('/api/v1/tasks', {
          params: { query: { project_id: projectId }, header: { 'Idempotency-Key': idempotencyKey } },
          body: createBody(draft),
        });
        if (!data) throw new TaskViewerApiError(response, err);
        await refresh(data);
      }
    } catch (err) {
      const e = explain(err, current ? { from: current.task.status, to: draft.status } : {});
      setError({ message: e.message, detail: e.detail, stale: statusOf(err) === 412 });
    } finally {
      setBusy(false);
    }
  }

  /** 412: read the task again (new ETag) and apply the same changes on top of it. */
  async function reloadAndRetry() {
    if (!base) return;
    const fresh = await tv.getTaskWithEtag(base.task.id, { project_id: projectId });
    setBase(fresh);
    queryClient.setQueryData(taskKey(projectId, fresh.task.id), fresh);
    await save(fresh);
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(base);
  };
  const statusChoices = editing ? STATUSES : STATUSES.filter((s) => s !== 'blocked');

  return (
    <form className="form task-form" onSubmit={submit} aria-label={editing ? 'Edit task' : 'New task'}>
      <label htmlFor="tf-title">Title</label>
      <input id="tf-title" required maxLength={500} value={draft.title} onChange={(e) => set({ title: e.target.value })} autoFocus />
      <label htmlFor="tf-description">Description (markdown)</label>
      <textarea id="tf-description" rows={6} maxLength={10000} value={draft.description} onChange={(e) => set({ description: e.target.value })} />
      <div className="form-grid">
        <span className="field">
          <label htmlFor="tf-status">Status</label>
          <select id="tf-status" value={draft.status} onChange={(e) => set({ status: e.target.value as TaskStatus })}>
            {statusChoices.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </span>
        <span className="field">
          <label htmlFor="tf-priority">Priority</label>
          <select id="tf-priority" value={draft.priority} onChange={(e) => set({ priority: e.target.value as Priority })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </select>
        </span>
        <span className="field">
          <label htmlFor="tf-parent">Parent task #</label>
          <input id="tf-parent" inputMode="numeric" pattern="\d*" value={draft.parent} onChange={(e) => set({ parent: e.target.value })} />
        </span>
        <span className="field">
          <label htmlFor="tf-depends">Depends on (task #s)</label>
          <input id="tf-depends" placeholder="3, 7" value={draft.depends} onChange={(e) => set({ depends: e.target.value })} />
        </span>
      </div>
      {draft.status === 'blocked' && (
        <>
          <label htmlFor="tf-reason">Blocker reason</label>
          <input id="tf-reason" required value={draft.blocker_reason} onChange={(e) => set({ blocker_reason: e.target.value })} />
        </>
      )}
      <label htmlFor="tf-tags">Tags (space separated)</label>
      <input id="tf-tags" value={draft.tags} onChange={(e) => set({ tags: e.target.value })} />
      <label htmlFor="tf-files">File references (one per line)</label>
      <textarea id="tf-files" rows={3} value={draft.files} onChange={(e) => set({ files: e.target.value })} />
      {editing && <p className="muted small">task-mcp cannot clear a parent or set a field back to empty; a status change follows its rules.</p>}
      {error && (
        <div className="form-error" role="alert">
          <p>{error.message}</p>
          {error.detail && <p className="detail">{error.detail}</p>}
          {error.stale && (
            <button type="button" onClick={() => void reloadAndRetry()}>
              Reload and retry
            </button>
          )}
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save' : 'Create task'}
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
