/**
 * What lower layers may know about the request they serve, without it being threaded through every
 * call: its id (for logs) and the calling key (the session pool serves keys fairly). Set once per
 * request by the HTTP edge (AsyncLocalStorage follows the request's async work).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
  /** The calling key's id, once known. */
  caller?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The calling key's id, or `anonymous` outside a request (start-up, the change watcher). */
export function currentCaller(): string {
  return requestContext.getStore()?.caller ?? 'anonymous';
}
