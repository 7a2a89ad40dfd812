/** Paging of the virtual list, refusal explanations, and which keys are shortcuts. */
import { describe, expect, it } from 'vitest';
import { TaskViewerApiError } from 'task-viewer-client';
import { explain, transitionHint } from '../errors';
import { isShortcut } from '../keyboard';
import { concerns } from '../live';
import { pagesFor } from '../paging';

describe('pagesFor', () => {
  it('fetches only the pages under the visible rows, and always the first', () => {
    expect(pagesFor(0, 30)).toEqual([0]);
    expect(pagesFor(95, 130)).toEqual([0, 1]);
    expect(pagesFor(9012, 9040)).toEqual([0, 90]);
    expect(pagesFor(5, 0)).toEqual([0]);
  });
});

const body = (status: number, message: string, details?: Array<{ field: string; message: string }>) => ({ error: 'x', message, status_code: status, request_id: 'r', ...(details ? { details } : {}) });

describe('explain', () => {
  it('says why task-mcp refused a move, in words', () => {
    expect(explain(body(409, 'Cannot mark task as done: dependency 7 is not done (status: todo)')).message).toMatch(/dependencies that are not done/);
    expect(explain(body(409, 'Invalid status transition from done to todo'), { from: 'done', to: 'todo' }).message).toMatch(/final/);
    expect(explain(body(409, 'Invalid status transition'), { from: 'todo', to: 'done' }).message).toMatch(/only move to in progress, blocked, cancelled/);
    expect(explain(body(400, 'request/body must have required property blocker_reason', [{ field: 'body.blocker_reason', message: 'required' }])).message).toMatch(/needs a reason/);
    expect(explain(body(412, 'changed')).message).toMatch(/changed this meanwhile/);
    expect(explain(body(401, 'no')).message).toMatch(/not accepted/);
    expect(explain(new TypeError('Failed to fetch')).code).toBe('network');
    const response = new Response(JSON.stringify(body(503, 'busy')), { status: 503 });
    expect(explain(new TaskViewerApiError(response, body(503, 'busy'))).status).toBe(503);
  });

  it('knows the documented transitions', () => {
    expect(transitionHint('todo', 'in_progress')).toBeUndefined();
    expect(transitionHint('blocked', 'done')).toMatch(/in progress, cancelled/);
  });
});

describe('shortcuts', () => {
  const key = (k: string, target: unknown = { tagName: 'BODY' }, mods = {}) => isShortcut({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: target as EventTarget, ...mods });
  it('are plain keys outside text fields', () => {
    expect(key('j')).toBe('j');
    expect(key('?')).toBe('?');
    expect(key('x')).toBeUndefined();
    expect(key('j', { tagName: 'INPUT', type: 'text' })).toBeUndefined();
    expect(key('j', { tagName: 'INPUT', type: 'checkbox' })).toBe('j');
    expect(key('Enter', { tagName: 'BUTTON' })).toBeUndefined();
    expect(key('b', undefined, { ctrlKey: true })).toBeUndefined();
  });
});

describe('live events', () => {
  const change = (project_id: string, type: 'task.updated' | 'project.updated' = 'task.updated') => ({
    kind: 'change' as const,
    id: '1',
    type,
    data: { id: '1', type, project_id, task_id: 1, entity_id: null, etag: null, changed: null, source: 'external' as const, at: '2026-01-01T00:00:00Z' },
  });
  it('concern the project on screen, project changes and stream resets', () => {
    expect(concerns(change('aaaaaaaa'), 'aaaaaaaa')).toBe(true);
    expect(concerns(change('bbbbbbbb'), 'aaaaaaaa')).toBe(false);
    expect(concerns(change('bbbbbbbb', 'project.updated'), 'aaaaaaaa')).toBe(true);
    expect(concerns({ kind: 'control', id: '2', type: 'stream.reset', data: null }, 'aaaaaaaa')).toBe(true);
    expect(concerns({ kind: 'control', id: '2', type: 'stream.closed', data: null }, 'aaaaaaaa')).toBe(false);
  });
});
