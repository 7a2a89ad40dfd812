/**
 * Sign-in: paste an API key. The page never shows or fetches a key by itself; it says where `npm start`
 * saved the generated one. The key is checked with GET /api/v1/me and kept in sessionStorage.
 */
import { type FormEvent, useState } from 'react';
import { createTaskViewerClient, unwrap } from 'task-viewer-client';
import { apiBaseUrl } from '../lib/api';
import { uuid } from '../lib/uuid';
import { explain, statusOf } from '../lib/errors';
import type { Me } from '../lib/types';

export function SignIn({ onSignedIn, notice }: { onSignedIn: (key: string, me: Me) => void; notice?: string | undefined }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(notice);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return setError('Paste an API key first.');
    setBusy(true);
    setError(undefined);
    try {
      const tv = createTaskViewerClient({ baseUrl: apiBaseUrl(), apiKey: trimmed, requestId: uuid });
      const me = await unwrap(tv.api.GET('/api/v1/me'));
      onSignedIn(trimmed, me);
    } catch (err) {
      const status = statusOf(err);
      if (status === 401) setError('That key was not accepted. Check that you copied all of it, and that the service runs with that key.');
      else if (status === 404) setError('This service has no /api/v1/me: it is older than this viewer. Update it and run npm run build.');
      else setError(explain(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <form onSubmit={submit} aria-describedby="signin-help">
        <h1>Task Viewer</h1>
        <p id="signin-help">
          Sign in with an API key of this service. On its first start, <code>npm start</code> generates one and saves it in{' '}
          <code>~/.config/task-viewer-api/api-key</code> (or in the file <code>API_KEY_FILE</code> names); print it with{' '}
          <code>cat ~/.config/task-viewer-api/api-key</code>. If the service runs with <code>API_KEYS</code>, use one of those.
        </p>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'signin-error' : undefined}
          autoFocus
        />
        {error && (
          <p id="signin-error" className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="muted small">
          The key stays in this tab only (session storage) and is forgotten when you sign out or close the tab. The API itself is described at{' '}
          <a href="api/docs">/api/docs</a>.
        </p>
      </form>
    </main>
  );
}
