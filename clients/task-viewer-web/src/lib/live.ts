/**
 * Live updates: one event stream per signed-in page (the client's `events()`: streamed fetch with
 * X-API-Key, reconnecting with Last-Event-ID). A change in the current project invalidates the cached
 * reads, so every list, board column, graph and detail on screen refetches in place; no reload.
 * Invalidations are batched (a burst of events costs one refetch per query) and wait while a write of
 * this page is in flight, so an optimistic move is not undone by a refetch racing the PATCH.
 */
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type StreamEvent, TaskViewerApiError, type TaskViewerClient } from 'task-viewer-client';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'unavailable' | 'off';

const BATCH_MS = 150;

export function invalidationScheduler(queryClient: QueryClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    if (queryClient.isMutating() > 0) {
      timer = setTimeout(run, BATCH_MS);
      return;
    }
    // Everything but who the caller is: only queries on screen refetch, the rest go stale.
    void queryClient.invalidateQueries({ predicate: (q) => !(q.queryKey[0] === 'get' && q.queryKey[1] === '/api/v1/me') });
  };
  return {
    schedule() {
      if (!timer) timer = setTimeout(run, BATCH_MS);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Whether an event concerns the project on screen (project events concern the switcher too). */
export function concerns(event: StreamEvent, projectId: string | undefined): boolean {
  if (event.kind === 'control') return event.type === 'stream.reset';
  if (event.type.startsWith('project.')) return true;
  return !projectId || event.data.project_id === projectId;
}

export function useLiveUpdates(tv: TaskViewerClient, projectId: string | undefined): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const controller = new AbortController();
    const scheduler = invalidationScheduler(queryClient);
    let wasOpen = false;
    (async () => {
      try {
        for await (const event of tv.events({
          project_id: projectId,
          signal: controller.signal,
          onStatus: (s) => {
            if (controller.signal.aborted) return;
            if (s === 'open') {
              // After a gap the replay covers what was missed; refetch anyway if the gap was long.
              if (wasOpen) scheduler.schedule();
              wasOpen = true;
              setStatus('live');
            } else if (s === 'reconnecting') setStatus('reconnecting');
            else if (s === 'connecting') setStatus('connecting');
          },
        })) {
          if (concerns(event, projectId)) scheduler.schedule();
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        // 404: a service without /api/v1/events; 401/403: the key may not stream.
        setStatus(err instanceof TaskViewerApiError ? 'unavailable' : 'reconnecting');
      }
    })();
    return () => {
      controller.abort();
      scheduler.cancel();
    };
  }, [tv, projectId, queryClient]);

  return status;
}
