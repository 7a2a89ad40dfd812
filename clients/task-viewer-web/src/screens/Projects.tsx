/**
 * The project switcher: every registered project with its open / blocked / total task counts (one call,
 * GET /api/v1/projects), the last one used marked; and registering a workspace (POST /api/v1/projects).
 */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Empty, ErrorState, Loading, Time } from '../components/common';
import { shouldRetry, useApi } from '../lib/api';
import { explain } from '../lib/errors';
import type { Navigate } from '../lib/router';
import { lastProject } from '../lib/session';
import type { Project } from '../lib/types';

export const projectName = (p: Pick<Project, 'friendly_name' | 'workspace_path'>) => p.friendly_name || p.workspace_path.split('/').filter(Boolean).pop() || p.workspace_path;

export function Projects({ navigate }: { navigate: Navigate }) {
  const { $api, canWrite } = useApi();
  const projects = $api.useQuery('get', '/api/v1/projects', {}, { retry: shouldRetry });
  const last = lastProject();
  const [adding, setAdding] = useState(false);
  const open = (id: string) => navigate({ view: 'tasks', projectId: id, params: new URLSearchParams() });

  return (
    <main id="main" className="page projects">
      <div className="page-head">
        <h1>Projects</h1>
        {canWrite && (
          <button type="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
            Register a project
          </button>
        )}
      </div>
      {adding && <RegisterProject onDone={(id) => (id ? open(id) : setAdding(false))} />}
      {projects.isPending ? (
        <Loading label="Loading projects…" />
      ) : projects.isError ? (
        <ErrorState what="The projects" error={projects.error} retry={() => void projects.refetch()} />
      ) : projects.data.projects.length === 0 ? (
        <Empty>
          <p>No projects yet. task-mcp registers a workspace when an AI client first uses it; you can also register one here.</p>
        </Empty>
      ) : (
        <ul className="project-list">
          {projects.data.projects.map((p) => (
            <li key={p.id}>
              <button type="button" className="project-card" onClick={() => open(p.id)} aria-describedby={`counts-${p.id}`}>
                <span className="project-name">
                  {projectName(p)}
                  {p.id === last && <span className="tag">last used</span>}
                </span>
                <span className="muted small">{p.workspace_path}</span>
                <span className="counts" id={`counts-${p.id}`}>
                  <span>
                    <strong>{p.counts.open_tasks}</strong> open
                  </span>
                  <span className={p.counts.blocked_tasks ? 'warn' : undefined}>
                    <strong>{p.counts.blocked_tasks}</strong> blocked
                  </span>
                  <span>
                    <strong>{p.counts.total_tasks}</strong> total
                  </span>
                </span>
                <span className="muted small">
                  Last used <Time value={p.last_accessed} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

function RegisterProject({ onDone }: { onDone: (projectId?: string) => void }) {
  const { $api } = useApi();
  const queryClient = useQueryClient();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const create = $api.useMutation('post', '/api/v1/projects', {
    onSuccess: (project) => {
      void queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/projects'] });
      onDone(project.id);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ body: { workspace_path: path.trim(), ...(name.trim() ? { friendly_name: name.trim() } : {}) } });
  };
  const error = create.error ? explain(create.error) : undefined;
  return (
    <form className="card form" onSubmit={submit}>
      <h2>Register a workspace</h2>
      <p className="muted small">
        An absolute path under one of the service&apos;s <code>ALLOWED_WORKSPACE_ROOTS</code> (by default your home directory). Only its task database is
        created, under <code>TASK_MCP_HOME</code>.
      </p>
      <label htmlFor="ws-path">Workspace path</label>
      <input id="ws-path" required pattern="/.*" placeholder="/home/you/projects/site" value={path} onChange={(e) => setPath(e.target.value)} />
      <label htmlFor="ws-name">Name (optional)</label>
      <input id="ws-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      {error && (
        <p className="form-error" role="alert">
          {error.message} {error.detail}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Register
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
