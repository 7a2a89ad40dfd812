/**
 * A small Server-Sent Events reader for tests (fetch streaming, so headers can be sent): collects
 * events as they arrive and lets a test wait for the next one that matches.
 */
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export interface SseClient {
  status: number;
  events: SseEvent[];
  /** The first event (already received or still to come) that matches, within `timeoutMs`. */
  waitFor(match: (e: SseEvent) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent>;
  closed: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const closed = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { event: 'message', data: undefined };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) (e.event = line.slice(7), (isEvent = true));
            else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
          }
          if (isEvent) {
            events.push(e);
            for (const w of waiters) w();
          }
        }
      }
    } catch {
      // aborted
    } finally {
      for (const w of waiters) w();
    }
  })();
  let ended = false;
  void closed.then(() => (ended = true));
  return {
    status: res.status,
    events,
    closed,
    close: () => abort.abort(),
    waitFor(match, timeoutMs = 5_000, what = 'an event') {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) {
            cleanup();
            resolve(found);
          } else if (ended) {
            cleanup();
            reject(new Error(`stream ended before ${what}; got ${JSON.stringify(events.map((x) => x.event))}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((x) => x.event))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
