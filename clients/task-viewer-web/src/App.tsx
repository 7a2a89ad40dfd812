/**
 * The app shell: sign-in gate, header (project switcher, views, live indicator, theme, help, sign
 * out), global shortcuts, and the screen the URL fragment names. Screens other than the task list are
 * loaded on demand (their code is split off the first screen's bundle).
 */
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { createTaskViewerClient, unwrap } from 'task-viewer-client';
import { Dialog, Loading, ScreenBoundary } from './components/common';
import { TaskForm } from './components/TaskForm';
import { TaskPage } from './components/TaskDetail';
import { type Api, ApiProvider, apiBaseUrl, makeClients, shouldRetry, useApi } from './lib/api';
import { statusOf } from './lib/errors';
import { SHORTCUTS, useShortcuts } from './lib/keyboard';
import { type LiveStatus, useLiveUpdates } from './lib/live';
import type { Route, View } from './lib/route';
import { useRoute } from './lib/router';
import { forgetKey, lastProject, rememberProject, storeKey, storedKey } from './lib/session';
import { useTheme } from './lib/theme';
import type { Me } from './lib/types';
import { uuid } from './lib/uuid';
import { Projects, projectName } from './screens/Projects';
import { SignIn } from './screens/SignIn';
import { TaskList } from './screens/TaskList';

const Board = lazy(() => import('./screens/Board').then((m) => ({ default: m.Board })));
const Graph = lazy(() => import('./screens/Graph'));
const Entities = lazy(() => import('./screens/Entities'));
const EntityPage = lazy(() => import('./screens/Entities').then((m) => ({ default: m.EntityPage })));

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // Live events invalidate what changed, so reads can stay fresh for a while.
      queries: { staleTime: 30_000, gcTime: 5 * 60_000, refetchOnWindowFocus: false, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
}

/** `me` is undefined while a key kept from earlier is being checked again (the screens load meanwhile). */
type Session = { key: string; me: Me | undefined };

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const [session, setSession] = useState<Session | null>(() => {
    const key = storedKey();
    return key ? { key, me: undefined } : null;
  });
  const [notice, setNotice] = useState<string | undefined>();

  // A key kept from earlier in this tab is checked again (it may have been revoked), in parallel with
  // the first screen's own requests rather than before them: one round trip less before the list shows.
  const checking = session && !session.me ? session.key : undefined;
  useEffect(() => {
    if (!checking) return;
    const tv = createTaskViewerClient({ baseUrl: apiBaseUrl(), apiKey: checking, requestId: uuid });
    let current = true;
    unwrap(tv.api.GET('/api/v1/me'))
      .then((me) => current && setSession({ key: checking, me }))
      .catch((err: unknown) => {
        if (!current) return;
        if (statusOf(err) === 401) {
          forgetKey();
          queryClient.clear();
          setNotice('The saved key is no longer accepted. Sign in again.');
          setSession(null);
        } else {
          // Keep going read-only; the screens show their own errors if the service is down.
          setSession({ key: checking, me: { key_id: 'unknown', access: 'read', project_ids: null } });
        }
      });
    return () => {
      current = false;
    };
  }, [checking, queryClient]);

  const signOut = useCallback(() => {
    forgetKey();
    queryClient.clear();
    setNotice('Signed out. The key is forgotten in this tab.');
    setSession(null);
  }, [queryClient]);

  if (!session)
    return (
      <SignIn
        notice={notice}
        onSignedIn={(key, me) => {
          storeKey(key);
          setNotice(undefined);
          setSession({ key, me });
        }}
      />
    );
  return (
    <QueryClientProvider client={queryClient}>
      <SignedIn session={session} signOut={signOut} />
    </QueryClientProvider>
  );
}

function SignedIn({ session, signOut }: { session: Session; signOut: () => void }) {
  const clients = useMemo(() => makeClients(session.key), [session.key]);
  // Until the kept key is confirmed, write controls stay hidden.
  const api: Api = useMemo(
    () => ({ ...clients, me: session.me ?? { key_id: 'checking', access: 'read' as const, project_ids: null }, canWrite: session.me?.access === 'read_write', signOut }),
    [clients, session.me, signOut],
  );
  return (
    <ApiProvider value={api}>
      <Shell />
    </ApiProvider>
  );
}

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unavailable: 'Live updates unavailable',
  off: 'Offline',
};

function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span className={`live live-${status}`} role="status" aria-live="polite" data-live={status} title="Changes made anywhere (this page, other clients, task-mcp itself) show up here as they happen">
      <span className="dot" aria-hidden="true" />
      {LIVE_TEXT[status]}
    </span>
  );
}

const TABS: Array<{ view: View; label: string; key: string }> = [
  { view: 'tasks', label: 'List', key: 'l' },
  { view: 'board', label: 'Board', key: 'b' },
  { view: 'graph', label: 'Graph', key: 'g' },
  { view: 'entities', label: 'Entities', key: '' },
];

function Shell() {
  const { tv, $api, canWrite, signOut, me } = useApi();
  const queryClient = useQueryClient();
  const { route, navigate } = useRoute();
  const theme = useTheme();
  const [help, setHelp] = useState(false);
  const [creating, setCreating] = useState(false);
  const projectId = route.projectId;
  const live = useLiveUpdates(tv, projectId);
  const projects = $api.useQuery('get', '/api/v1/projects', {}, { retry: shouldRetry });

  // No fragment at all: go to the last project used, if there is one.
  useEffect(() => {
    const last = lastProject();
    if (!window.location.hash && last) navigate({ view: 'tasks', projectId: last, params: new URLSearchParams() }, { replace: true });
  }, [navigate]);
  useEffect(() => {
    if (projectId) rememberProject(projectId);
  }, [projectId]);

  const go = (view: View) => projectId && navigate({ view, projectId, params: view === route.view ? route.params : new URLSearchParams() });
  useShortcuts((key, event) => {
    if (key === '?') setHelp(true);
    else if (key === 'b') go('board');
    else if (key === 'l') go('tasks');
    else if (key === 'g') go('graph');
    else if (key === 'n' && canWrite && projectId && route.view !== 'entities' && route.view !== 'entity') {
      event.preventDefault();
      setCreating(true);
    }
  });

  const current = projects.data?.projects.find((p) => p.id === projectId);
  const title = route.view === 'projects' ? 'Projects' : `${TABS.find((t) => t.view === route.view)?.label ?? 'Task'} · ${current ? projectName(current) : projectId}`;
  useEffect(() => {
    document.title = `${title} — Task Viewer`;
  }, [title]);

  return (
    <div className="app">
      <header className="topbar">
        <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
          Skip to content
        </button>
        <a className="brand" href="#/projects">
          Task Viewer
        </a>
        <span className="field project-switch">
          <label htmlFor="project-select" className="visually-hidden">
            Project
          </label>
          <select
            id="project-select"
            value={projectId ?? ''}
            onChange={(e) => (e.target.value ? navigate({ view: route.view === 'projects' ? 'tasks' : route.view === 'task' ? 'tasks' : route.view === 'entity' ? 'entities' : route.view, projectId: e.target.value, params: new URLSearchParams() }) : navigate({ view: 'projects', params: new URLSearchParams() }))}
          >
            <option value="">All projects…</option>
            {projects.data?.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {projectName(p)} ({p.counts.open_tasks} open, {p.counts.blocked_tasks} blocked, {p.counts.total_tasks} total)
              </option>
            ))}
          </select>
        </span>
        {projectId && (
          <nav aria-label="Views">
            {TABS.map((t) => (
              <a key={t.view} href={`#/p/${projectId}/${t.view}`} aria-current={route.view === t.view || (t.view === 'tasks' && route.view === 'task') || (t.view === 'entities' && route.view === 'entity') ? 'page' : undefined} aria-keyshortcuts={t.key || undefined}>
                {t.label}
              </a>
            ))}
          </nav>
        )}
        <span className="spacer" />
        {canWrite && projectId && (
          <button type="button" className="primary" onClick={() => setCreating(true)} aria-keyshortcuts="n">
            New task
          </button>
        )}
        <LiveIndicator status={live} />
        <button type="button" onClick={theme.toggle} aria-label={`Colour theme: ${theme.choice === 'system' ? `system (${theme.dark ? 'dark' : 'light'})` : theme.choice}. Change it`}>
          {theme.dark ? '☾' : '☀'} <span className="small">{theme.choice === 'system' ? 'Auto' : theme.choice === 'dark' ? 'Dark' : 'Light'}</span>
        </button>
        <button type="button" onClick={() => setHelp(true)} aria-keyshortcuts="?" aria-label="Keyboard shortcuts">
          ?
        </button>
        <button type="button" onClick={signOut} title={`Signed in as ${me.key_id}${canWrite ? '' : ' (read only)'}`}>
          Sign out
        </button>
      </header>
      {!canWrite && me.key_id !== 'checking' && <p className="banner">This key may only read: editing is switched off.</p>}
      <ScreenBoundary key={`${route.view}/${route.projectId ?? ''}/${route.id ?? ''}`}>
        <Suspense fallback={<Loading />}>
          <Screen route={route} navigate={navigate} />
        </Suspense>
      </ScreenBoundary>
      {help && (
        <Dialog title="Keyboard shortcuts" onClose={() => setHelp(false)}>
          <table className="keys">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Does</th>
              </tr>
            </thead>
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.keys}>
                  <td>
                    <kbd>{s.keys}</kbd>
                  </td>
                  <td>{s.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Dialog>
      )}
      {creating && projectId && (
        <Dialog title="New task" onClose={() => setCreating(false)} wide>
          <TaskForm
            projectId={projectId}
            onDone={(task) => {
              setCreating(false);
              if (task) {
                void queryClient.invalidateQueries();
                const view = route.view === 'board' || route.view === 'graph' ? route.view : 'tasks';
                navigate({ view, projectId, params: new URLSearchParams({ ...(view === route.view ? Object.fromEntries(route.params) : {}), task: String(task.id) }) });
              }
            }}
          />
        </Dialog>
      )}
    </div>
  );
}

function Screen({ route, navigate }: { route: Route; navigate: ReturnType<typeof useRoute>['navigate'] }) {
  const { projectId } = route;
  if (route.view === 'projects' || !projectId) return <Projects navigate={navigate} />;
  switch (route.view) {
    case 'board':
      return <Board route={route} navigate={navigate} projectId={projectId} />;
    case 'graph':
      return <Graph route={route} navigate={navigate} projectId={projectId} />;
    case 'entities':
      return <Entities route={route} navigate={navigate} projectId={projectId} />;
    case 'entity':
      return <EntityPage projectId={projectId} entityId={route.id!} />;
    case 'task':
      return <TaskPage projectId={projectId} taskId={route.id!} navigate={navigate} route={route} />;
    default:
      return <TaskList route={route} navigate={navigate} projectId={projectId} />;
  }
}

