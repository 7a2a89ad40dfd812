/** The current route as React state, kept in sync with the URL fragment. */
import { useCallback, useEffect, useState } from 'react';
import { type Route, formatHash, parseHash } from './route';

export function useRoute() {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  /** Go to a route; `replace` for changes that should not each make a history entry (typing a search). */
  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const hash = formatHash(next);
    if (hash === window.location.hash) return;
    if (options.replace) {
      window.history.replaceState(null, '', hash);
      setRoute(parseHash(hash));
    } else {
      window.location.hash = hash;
    }
  }, []);
  return { route, navigate };
}

export type Navigate = ReturnType<typeof useRoute>['navigate'];
