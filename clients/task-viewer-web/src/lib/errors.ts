/**
 * Turning the API's refusals into words a person understands. openapi-react-query throws the error
 * body itself (`{error, message, status_code, …}`), fetch throws a TypeError when the network fails,
 * and the client's helpers throw a TaskViewerApiError: all three are read here.
 */
import { TaskViewerApiError } from 'task-viewer-client';
import { STATUS_LABELS, type ApiError, type TaskStatus } from './types';

export interface Explained {
  status: number | undefined;
  code: string;
  /** One sentence for the user. */
  message: string;
  /** The server's own text, when it adds something. */
  detail?: string | undefined;
}

export function asApiError(err: unknown): ApiError | undefined {
  if (err instanceof TaskViewerApiError) return err.body;
  if (err && typeof err === 'object' && typeof (err as ApiError).error === 'string' && typeof (err as ApiError).status_code === 'number') return err as ApiError;
  return undefined;
}

export function statusOf(err: unknown): number | undefined {
  if (err instanceof TaskViewerApiError) return err.status;
  return asApiError(err)?.status_code;
}

/**
 * task-mcp's status rules (as openapi.yaml describes them for PATCH /tasks/{id}): used only to explain
 * a refusal after the server made it, never to refuse anything in the browser.
 */
const ALLOWED: Partial<Record<TaskStatus, TaskStatus[]>> = {
  todo: ['in_progress', 'blocked', 'cancelled'],
  in_progress: ['blocked', 'done', 'cancelled'],
  blocked: ['in_progress', 'cancelled'],
  done: [],
  cancelled: [],
};

const words = (statuses: TaskStatus[]) => statuses.map((s) => STATUS_LABELS[s].toLowerCase()).join(', ');

export function transitionHint(from: TaskStatus, to: TaskStatus): string | undefined {
  const allowed = ALLOWED[from];
  if (!allowed || allowed.includes(to)) return undefined;
  if (allowed.length === 0) return `A ${STATUS_LABELS[from].toLowerCase()} task is final: its status cannot change any more.`;
  return `From ${STATUS_LABELS[from].toLowerCase()} a task can only move to ${words(allowed)}.`;
}

export function explain(err: unknown, context?: { from?: TaskStatus; to?: TaskStatus }): Explained {
  if (err instanceof TypeError) return { status: undefined, code: 'network', message: 'The service cannot be reached. Check that it is running, then retry.', detail: err.message };
  const body = asApiError(err);
  const status = statusOf(err);
  const serverText = body?.message ?? (err instanceof Error ? err.message : undefined);
  switch (status) {
    case 401:
      return { status, code: 'unauthorized', message: 'The API key was not accepted. Sign in again with a valid key.', detail: serverText };
    case 403:
      return { status, code: body?.error ?? 'forbidden', message: 'This key may not do that.', detail: serverText };
    case 404:
      return { status, code: 'not_found', message: 'It does not exist (any more): it may have been deleted.', detail: serverText };
    case 409: {
      const text = serverText ?? '';
      let message = 'task-mcp refused the change in the task\'s current state.';
      if (/depend/i.test(text)) message = 'task-mcp refused: the task still has dependencies that are not done. Finish those first.';
      else if (/transition|cannot change|final/i.test(text) || (context?.from && context.to && transitionHint(context.from, context.to)))
        message = `task-mcp refused this status change. ${context?.from && context.to ? (transitionHint(context.from, context.to) ?? '') : ''}`.trim();
      return { status, code: 'conflict', message, detail: text };
    }
    case 400: {
      const reason = body?.details?.some((d) => d.field?.includes('blocker_reason')) || /blocker_reason|blocker reason/i.test(serverText ?? '');
      if (reason) return { status, code: 'validation_error', message: 'A blocked task needs a reason: say what it is waiting for.', detail: serverText };
      const fields = body?.details?.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
      return { status, code: body?.error ?? 'validation_error', message: 'The server did not accept that input.', detail: fields || serverText };
    }
    case 412:
      return { status, code: 'precondition_failed', message: 'Someone changed this meanwhile. Reload it and apply your change again.', detail: serverText };
    case 429:
      return { status, code: 'rate_limited', message: `Too many requests for this key. Wait ${body?.retry_after ?? 'a few'} seconds and retry.`, detail: serverText };
    case 503:
    case 504:
      return { status, code: body?.error ?? 'unavailable', message: 'The service is busy or its task store is not answering. Retry in a moment.', detail: serverText };
    default:
      return { status, code: body?.error ?? 'error', message: serverText ?? 'Something went wrong.', detail: undefined };
  }
}
