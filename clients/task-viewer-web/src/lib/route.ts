/**
 * Routing in the URL fragment (`#/p/<project>/tasks?status=todo&task=12`): the server only ever
 * serves `/` and `/assets/*`, and every view, filter, sort and selected task is part of the link, so
 * it survives a reload and can be shared.
 */
export type View = 'projects' | 'tasks' | 'board' | 'graph' | 'entities' | 'task' | 'entity';

export interface Route {
  view: View;
  projectId?: string | undefined;
  /** The task (view `task`) or entity (view `entity`) shown on its own page. */
  id?: number | undefined;
  params: URLSearchParams;
}

const PROJECT_ID = /^[0-9a-f]{8}$/;

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
  const parts = pathPart.split('/').filter(Boolean);
  if (parts[0] === 'p' && parts[1] && PROJECT_ID.test(parts[1])) {
    const projectId = parts[1];
    const section = parts[2] ?? 'tasks';
    const id = parts[3] && /^\d+$/.test(parts[3]) ? Number(parts[3]) : undefined;
    if (section === 'tasks' && id) return { view: 'task', projectId, id, params };
    if (section === 'entities' && id) return { view: 'entity', projectId, id, params };
    if (section === 'tasks' || section === 'board' || section === 'graph' || section === 'entities') return { view: section, projectId, params };
    return { view: 'tasks', projectId, params };
  }
  return { view: 'projects', params };
}

export function formatHash(route: Route): string {
  const query = route.params.toString();
  const suffix = query ? `?${query}` : '';
  if (route.view === 'projects' || !route.projectId) return `#/projects${suffix}`;
  const base = `#/p/${route.projectId}`;
  switch (route.view) {
    case 'task':
      return `${base}/tasks/${route.id}${suffix}`;
    case 'entity':
      return `${base}/entities/${route.id}${suffix}`;
    default:
      return `${base}/${route.view}${suffix}`;
  }
}

/** A copy of `params` with `changes` applied (`undefined`, `''` or `[]` removes a key). */
export function withParams(params: URLSearchParams, changes: Record<string, string | number | undefined | null>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === '') next.delete(key);
    else next.set(key, String(value));
  }
  return next;
}
