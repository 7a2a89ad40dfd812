/**
 * Entities (files and other things tasks refer to): list with search, type and tag filters and sort,
 * stats (counts by type, top tags), the selected entity in a side panel or on its own page with its
 * metadata and linked tasks; create, edit (If-Match) and link to a task.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { TaskViewerApiError, type EntitySortField } from 'task-viewer-client';
import { Dialog, Empty, ErrorState, Loading, Markdown, StatusBadge, Time } from '../components/common';
import { entityKey, shouldRetry, useApi, useEntity } from '../lib/api';
import { explain, statusOf } from '../lib/errors';
import { useShortcuts } from '../lib/keyboard';
import { type Route, withParams } from '../lib/route';
import type { Navigate } from '../lib/router';
import { uuid } from '../lib/uuid';
import { ENTITY_TYPES, type Entity, type EntityCreate, type EntityType, type EntityUpdate } from '../lib/types';

const SORTS: Array<[EntitySortField, string]> = [
  ['-created_at', 'Newest first'],
  ['created_at', 'Oldest first'],
  ['name', 'Name A–Z'],
  ['-name', 'Name Z–A'],
  ['-updated_at', 'Recently updated'],
];

export default function Entities({ route, navigate, projectId }: { route: Route; navigate: Navigate; projectId: string }) {
  const { $api, canWrite } = useApi();
  const params = route.params;
  const q = params.get('q') ?? '';
  const type = (ENTITY_TYPES as readonly string[]).includes(params.get('type') ?? '') ? (params.get('type') as EntityType) : undefined;
  const tags = (params.get('tags') ?? '').split(',').filter(Boolean);
  const sortParam = params.get('sort');
  const sort = SORTS.find(([s]) => s === sortParam)?.[0];
  const selected = Number(params.get('entity')) || undefined;
  const [text, setText] = useState(q);
  const [creating, setCreating] = useState(false);
  // The debounced search fires later: it must apply to the URL as it is then, not as it was.
  const latest = useRef(route);
  latest.current = route;
  const set = (changes: Record<string, string | number | undefined>, replace = false) =>
    navigate({ ...latest.current, params: withParams(latest.current.params, changes) }, { replace });

  useEffect(() => setText(q), [q]);
  useEffect(() => {
    if (text === q) return;
    const timer = setTimeout(() => set({ q: text.trim() || undefined }, true), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  useShortcuts((key, event) => {
    if (key === 'Escape' && selected) set({ entity: undefined });
    else if (key === '/') {
      event.preventDefault();
      document.getElementById('entity-search')?.focus();
    } else if (key === 'n' && canWrite) {
      event.preventDefault();
      setCreating(true);
    }
  });

  const base = { project_id: projectId, ...(type ? { entity_type: type } : {}), ...(sort ? { sort } : {}) };
  const listed = $api.useQuery('get', '/api/v1/entities', { params: { query: { ...base, ...(tags.length ? { tag: tags } : {}), limit: 100 } } }, { retry: shouldRetry, enabled: !q });
  const searched = $api.useQuery('get', '/api/v1/entities/search', { params: { query: { ...base, q, limit: 100 } } }, { retry: shouldRetry, enabled: !!q });
  const stats = $api.useQuery('get', '/api/v1/entities/stats', { params: { query: { project_id: projectId } } }, { retry: shouldRetry });
  const result = q ? searched : listed;
  const entities = result.data?.entities ?? [];

  return (
    <div className={`with-panel${selected ? ' panel-open' : ''}`}>
      <main id="main" className="page entities-page">
        <div className="page-head">
          <h1>Entities</h1>
          {canWrite && (
            <button type="button" onClick={() => setCreating(true)} aria-keyshortcuts="n">
              New entity
            </button>
          )}
        </div>
        <section className="stats" aria-label="Entity stats">
          {stats.isPending ? (
            <Loading label="Loading stats…" />
          ) : stats.isError ? (
            <ErrorState what="The stats" error={stats.error} retry={() => void stats.refetch()} />
          ) : (
            <>
              <p>
                <strong>{stats.data.total}</strong> entities: {stats.data.by_type.file} files, {stats.data.by_type.other} other
              </p>
              {stats.data.top_tags.length > 0 && (
                <div className="top-tags" role="group" aria-label="Top tags">
                  {stats.data.top_tags.map((t) => (
                    <button key={t.tag} type="button" className="chip" aria-pressed={tags.includes(t.tag)} onClick={() => set({ tags: tags.includes(t.tag) ? tags.filter((x) => x !== t.tag).join(',') : [...tags, t.tag].join(',') })}>
                      {t.tag} <span className="count">{t.count}</span>
                    </button>
                  ))}
                </div>
              )}
            </>
          )}
        </section>
        <section className="filters" aria-label="Entity filters">
          <div className="filter-row">
            <span className="field search">
              <label htmlFor="entity-search">Search name or identifier</label>
              <input id="entity-search" type="search" maxLength={200} value={text} onChange={(e) => setText(e.target.value)} />
            </span>
            <span className="field">
              <label htmlFor="entity-type">Type</label>
              <select id="entity-type" value={type ?? ''} onChange={(e) => set({ type: e.target.value || undefined })}>
                <option value="">Any</option>
                {ENTITY_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </span>
            <span className="field">
              <label htmlFor="entity-tags">Tags (all of)</label>
              <input id="entity-tags" defaultValue={tags.join(' ')} key={tags.join(' ')} onBlur={(e) => set({ tags: e.target.value.split(/[\s,]+/).filter(Boolean).join(',') || undefined })} />
            </span>
            <span className="field">
              <label htmlFor="entity-sort">Order</label>
              <select id="entity-sort" value={sort ?? ''} onChange={(e) => set({ sort: e.target.value || undefined })}>
                <option value="">Default (newest first)</option>
                {SORTS.map(([s, label]) => (
                  <option key={s} value={s}>
                    {label}
                  </option>
                ))}
              </select>
            </span>
          </div>
          {q && tags.length > 0 && <p className="muted small">Search covers name and identifier by type; tag filters apply to the list without a search.</p>}
        </section>
        {result.isPending ? (
          <Loading label="Loading entities…" />
        ) : result.isError ? (
          <ErrorState what="The entities" error={result.error} retry={() => void result.refetch()} />
        ) : entities.length === 0 ? (
          <Empty>No entity matches.</Empty>
        ) : (
          <>
            <p className="summary" role="status">
              {result.data.total} {result.data.total === 1 ? 'entity' : 'entities'}
              {result.data.total > entities.length && ` (first ${entities.length} shown)`}
            </p>
            <table className="entity-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Identifier</th>
                  <th scope="col">Tags</th>
                  <th scope="col">Linked tasks</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {entities.map((e) => (
                  <tr key={e.id} className={e.id === selected ? 'selected' : undefined}>
                    <td>
                      <button type="button" className="title-link" onClick={() => set({ entity: e.id })}>
                        {e.name}
                      </button>
                    </td>
                    <td>{e.entity_type}</td>
                    <td>{e.identifier ? <code>{e.identifier}</code> : <span className="muted">—</span>}</td>
                    <td>
                      {e.tags.map((t) => (
                        <span key={t} className="tag">
                          {t}
                        </span>
                      ))}
                    </td>
                    <td>{e.linked_tasks_count}</td>
                    <td>
                      <Time value={e.updated_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </main>
      {creating && (
        <Dialog title="New entity" onClose={() => setCreating(false)} wide>
          <EntityForm projectId={projectId} onDone={(created) => (setCreating(false), created && set({ entity: created.id }))} />
        </Dialog>
      )}
      {selected && (
        <aside className="side-panel" aria-label={`Entity #${selected}`}>
          <EntityDetail key={selected} projectId={projectId} entityId={selected} onClose={() => set({ entity: undefined })} />
        </aside>
      )}
    </div>
  );
}

export function EntityPage({ projectId, entityId }: { projectId: string; entityId: number }) {
  return (
    <main id="main" className="page entity-page">
      <EntityDetail projectId={projectId} entityId={entityId} />
    </main>
  );
}

function EntityDetail({ projectId, entityId, onClose }: { projectId: string; entityId: number; onClose?: () => void }) {
  const { $api, canWrite } = useApi();
  const entity = useEntity(projectId, entityId);
  const tasks = $api.useQuery('get', '/api/v1/entities/{entity_id}/tasks', { params: { path: { entity_id: entityId }, query: { project_id: projectId, limit: 100 } } }, { retry: shouldRetry });
  const [mode, setMode] = useState<'view' | 'edit' | 'link'>('view');
  useShortcuts((key, event) => {
    if (key === 'e' && canWrite && entity.data && mode === 'view') {
      event.preventDefault();
      setMode('edit');
    }
  });
  if (entity.isPending) return <Loading label={`Loading entity #${entityId}…`} />;
  if (entity.isError) return <ErrorState what={`Entity #${entityId}`} error={entity.error} retry={() => void entity.refetch()} />;
  const e = entity.data.entity;
  return (
    <article className="entity-detail" aria-labelledby="entity-title">
      <header className="detail-head">
        <p className="muted small">
          Entity #{e.id} · {e.entity_type}
        </p>
        <h2 id="entity-title">{e.name}</h2>
        {e.identifier && <code>{e.identifier}</code>}
        <div className="badges">
          {e.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </div>
        <div className="actions">
          {canWrite && (
            <>
              <button type="button" onClick={() => setMode('edit')}>
                Edit
              </button>
              <button type="button" onClick={() => setMode('link')}>
                Link to a task
              </button>
            </>
          )}
          {onClose ? (
            <>
              <a className="button" href={`#/p/${projectId}/entities/${e.id}`}>
                Full page
              </a>
              <button type="button" onClick={onClose} aria-label="Close the entity panel">
                Close
              </button>
            </>
          ) : (
            <a className="button" href={`#/p/${projectId}/entities?entity=${e.id}`}>
              Back to the entities
            </a>
          )}
        </div>
      </header>
      {mode === 'edit' && (
        <Dialog title={`Edit entity #${e.id}`} onClose={() => setMode('view')} wide>
          <EntityForm projectId={projectId} entity={entity.data} onDone={() => setMode('view')} />
        </Dialog>
      )}
      {mode === 'link' && <LinkTask projectId={projectId} entity={e} onDone={() => setMode('view')} />}
      <section>
        <h3>Description</h3>
        <Markdown text={e.description} />
      </section>
      <section>
        <h3>Metadata</h3>
        {e.metadata === null || e.metadata === undefined ? <p className="muted">None.</p> : <pre className="metadata">{JSON.stringify(e.metadata, null, 2)}</pre>}
      </section>
      <section>
        <h3>Linked tasks ({e.linked_tasks_count})</h3>
        {tasks.isPending ? (
          <Loading />
        ) : tasks.isError ? (
          <ErrorState what="The linked tasks" error={tasks.error} retry={() => void tasks.refetch()} />
        ) : tasks.data.tasks.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul>
            {tasks.data.tasks.map((t) => (
              <li key={t.id}>
                <StatusBadge status={t.status} /> <a href={`#/p/${projectId}/tasks?task=${t.id}`}>#{t.id} {t.title}</a>{' '}
                <span className="muted small">
                  linked <Time value={t.link_created_at} />
                </span>
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
            <Time value={e.created_at} /> {e.created_by && <span className="muted small">by {e.created_by}</span>}
          </dd>
          <dt>Updated</dt>
          <dd>
            <Time value={e.updated_at} /> {e.updated_by && <span className="muted small">by {e.updated_by}</span>}
          </dd>
        </dl>
      </section>
    </article>
  );
}

function parseMetadata(text: string): { ok: true; value: EntityCreate['metadata'] | undefined } | { ok: false } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null) return { ok: false };
    return { ok: true, value: value as EntityCreate['metadata'] };
  } catch {
    return { ok: false };
  }
}

function EntityForm({ projectId, entity, onDone }: { projectId: string; entity?: { entity: Entity; etag: string }; onDone: (created?: Entity) => void }) {
  const { tv } = useApi();
  const queryClient = useQueryClient();
  // Frozen when the form opens (the prop follows live updates); edits are against this version.
  const [frozen] = useState(entity);
  const e = frozen?.entity;
  const [kind, setKind] = useState<EntityType>(e?.entity_type ?? 'file');
  const [name, setName] = useState(e?.name ?? '');
  const [identifier, setIdentifier] = useState(e?.identifier ?? '');
  const [description, setDescription] = useState(e?.description ?? '');
  const [tags, setTags] = useState((e?.tags ?? []).join(' '));
  const [metadata, setMetadata] = useState(e?.metadata === null || e?.metadata === undefined ? '' : JSON.stringify(e.metadata, null, 2));
  const [etag, setEtag] = useState(frozen?.etag);
  const [error, setError] = useState<{ message: string; detail?: string | undefined; stale?: boolean } | undefined>();
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useMemo(() => uuid(), []);

  async function save(useEtag = etag) {
    const meta = parseMetadata(metadata);
    if (!meta.ok) return setError({ message: 'Metadata must be JSON (an object, array, string, number or boolean).' });
    const tagList = [...new Set(tags.split(/[\s,]+/).map((t) => t.toLowerCase()).filter(Boolean))];
    setBusy(true);
    setError(undefined);
    try {
      if (e && useEtag) {
        const changes: EntityUpdate = {};
        if (name.trim() !== e.name) changes.name = name.trim();
        if (identifier !== (e.identifier ?? '')) changes.identifier = identifier;
        if (description !== (e.description ?? '')) changes.description = description;
        if (tagList.join(' ') !== e.tags.join(' ')) changes.tags = tagList;
        if (meta.value !== undefined && JSON.stringify(meta.value) !== JSON.stringify(e.metadata)) changes.metadata = meta.value;
        if (Object.keys(changes).length === 0) return onDone();
        const saved = await tv.updateEntityIfMatch(e.id, useEtag, changes, { project_id: projectId });
        queryClient.setQueryData(entityKey(projectId, e.id), saved);
        await queryClient.invalidateQueries();
        onDone();
      } else {
        const body: EntityCreate = { entity_type: kind, name: name.trim() };
        if (identifier.trim()) body.identifier = identifier.trim();
        if (description.trim()) body.description = description;
        if (tagList.length) body.tags = tagList;
        if (meta.value !== undefined) body.metadata = meta.value;
        const { data, error: err, response } = await tv.api.POST('/api/v1/entities', { params: { query: { project_id: projectId }, header: { 'Idempotency-Key': idempotencyKey } }, body });
        if (!data) throw new TaskViewerApiError(response, err);
        await queryClient.invalidateQueries();
        onDone(data);
      }
    } catch (err) {
      const x = explain(err);
      setError({ message: x.message, detail: x.detail, stale: statusOf(err) === 412 });
    } finally {
      setBusy(false);
    }
  }
  const reloadAndRetry = async () => {
    if (!e) return;
    const fresh = await tv.getEntityWithEtag(e.id, { project_id: projectId });
    setEtag(fresh.etag);
    await save(fresh.etag);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };
  return (
    <form className="form" onSubmit={submit} aria-label={e ? 'Edit entity' : 'New entity'}>
      {!e && (
        <>
          <label htmlFor="ef-type">Type</label>
          <select id="ef-type" value={kind} onChange={(ev) => setKind(ev.target.value as EntityType)}>
            {ENTITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="ef-name">Name</label>
      <input id="ef-name" required maxLength={500} value={name} onChange={(ev) => setName(ev.target.value)} autoFocus />
      <label htmlFor="ef-identifier">Identifier (e.g. a file path; unique per type)</label>
      <input id="ef-identifier" maxLength={1000} value={identifier} onChange={(ev) => setIdentifier(ev.target.value)} />
      <label htmlFor="ef-description">Description (markdown)</label>
      <textarea id="ef-description" rows={4} maxLength={10000} value={description} onChange={(ev) => setDescription(ev.target.value)} />
      <label htmlFor="ef-tags">Tags (space separated)</label>
      <input id="ef-tags" value={tags} onChange={(ev) => setTags(ev.target.value)} />
      <label htmlFor="ef-metadata">Metadata (JSON)</label>
      <textarea id="ef-metadata" rows={4} value={metadata} onChange={(ev) => setMetadata(ev.target.value)} spellCheck={false} />
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
          {busy ? 'Saving…' : e ? 'Save' : 'Create entity'}
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function LinkTask({ projectId, entity, onDone }: { projectId: string; entity: Entity; onDone: () => void }) {
  const { $api } = useApi();
  const queryClient = useQueryClient();
  const [taskId, setTaskId] = useState('');
  const link = $api.useMutation('put', '/api/v1/tasks/{task_id}/entities/{entity_id}', {
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = Number(taskId);
    if (Number.isInteger(id) && id > 0) link.mutate({ params: { path: { task_id: id, entity_id: entity.id }, query: { project_id: projectId } } });
  };
  return (
    <Dialog title={`Link “${entity.name}” to a task`} onClose={onDone}>
      <form className="form" onSubmit={submit}>
        <label htmlFor="link-task">Task #</label>
        <input id="link-task" required inputMode="numeric" pattern="\d+" value={taskId} onChange={(e) => setTaskId(e.target.value)} autoFocus />
        {link.error && (
          <p className="form-error" role="alert">
            {explain(link.error).message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={link.isPending}>
            Link
          </button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
