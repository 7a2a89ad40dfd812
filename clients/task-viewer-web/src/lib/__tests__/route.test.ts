/** Hash routes: every screen has a URL, and parse(format(route)) is the route. */
import { describe, expect, it } from 'vitest';
import { formatHash, parseHash, withParams } from '../route';

describe('hash routes', () => {
  it.each([
    ['#/projects', { view: 'projects' }],
    ['#/p/3f05a4b1/tasks?status=todo&task=4', { view: 'tasks', projectId: '3f05a4b1' }],
    ['#/p/3f05a4b1/board', { view: 'board', projectId: '3f05a4b1' }],
    ['#/p/3f05a4b1/graph?root=2', { view: 'graph', projectId: '3f05a4b1' }],
    ['#/p/3f05a4b1/entities?q=api', { view: 'entities', projectId: '3f05a4b1' }],
    ['#/p/3f05a4b1/tasks/12', { view: 'task', projectId: '3f05a4b1', id: 12 }],
    ['#/p/3f05a4b1/entities/7', { view: 'entity', projectId: '3f05a4b1', id: 7 }],
  ])('%s', (hash, expected) => {
    const route = parseHash(hash);
    expect(route).toMatchObject(expected);
    expect(formatHash(route)).toBe(hash);
  });

  it('falls back to the projects screen for anything else', () => {
    expect(parseHash('').view).toBe('projects');
    expect(parseHash('#/p/NOTHEX00/tasks').view).toBe('projects');
    expect(parseHash('#/p/3f05a4b1/nonsense')).toMatchObject({ view: 'tasks', projectId: '3f05a4b1' });
  });

  it('withParams sets and removes keys', () => {
    expect(withParams(new URLSearchParams('a=1&b=2'), { a: undefined, c: 3, b: '' }).toString()).toBe('c=3');
  });
});
