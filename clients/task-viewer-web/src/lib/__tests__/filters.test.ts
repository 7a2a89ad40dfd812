/** Filters <-> URL <-> API query, quick views and the sort cycle of a column header. */
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, QUICK_VIEWS, activeQuickView, dayStart, filtersFromParams, filtersToParams, nextSort, toListQuery } from '../filters';

describe('task filters', () => {
  it('round-trip through the URL and keep other keys (the selected task)', () => {
    const params = new URLSearchParams('status=todo,blocked&priority=high&tags=api,backend&q=log+in&ready=1&is_blocker=0&has_subtasks=1&created_from=2026-11-01&updated_to=2026-11-30&sort=-priority,created_at&task=12');
    const filters = filtersFromParams(params);
    expect(filters).toEqual({
      status: ['todo', 'blocked'],
      priority: ['high'],
      tags: ['api', 'backend'],
      q: 'log in',
      ready: 'yes',
      isBlocker: 'no',
      hasSubtasks: 'yes',
      createdFrom: '2026-11-01',
      createdTo: '',
      updatedFrom: '',
      updatedTo: '2026-11-30',
      sort: ['-priority', 'created_at'],
    });
    const back = filtersToParams(filters, params);
    expect(filtersFromParams(back)).toEqual(filters);
    expect(back.get('task')).toBe('12');
  });

  it('drop values the API would refuse when the URL was edited by hand', () => {
    const filters = filtersFromParams(new URLSearchParams('status=todo,finished&priority=urgent&sort=-bogus,title&created_from=yesterday'));
    expect(filters.status).toEqual(['todo']);
    expect(filters.priority).toEqual([]);
    expect(filters.sort).toEqual(['title']);
    expect(filters.createdFrom).toBe('');
  });

  it('become the listTasks query, with inclusive local days as instants', () => {
    const query = toListQuery({ ...EMPTY_FILTERS, status: ['done'], tags: ['api'], q: '  x ', ready: 'no', createdFrom: '2026-11-01', createdTo: '2026-11-02', sort: ['-completed_at'] }, 'deadbeef');
    expect(query).toEqual({
      project_id: 'deadbeef',
      status: ['done'],
      tag: ['api'],
      q: 'x',
      ready: false,
      created_after: new Date(2026, 10, 1).toISOString(),
      created_before: new Date(2026, 10, 3).toISOString(),
      sort: '-completed_at',
    });
    expect(toListQuery(EMPTY_FILTERS, 'deadbeef')).toEqual({ project_id: 'deadbeef' });
    expect(dayStart('2026-12-31', 1)).toBe(new Date(2027, 0, 1).toISOString());
  });

  it('recognise the quick views, which map to the documented queries', () => {
    const byId = Object.fromEntries(QUICK_VIEWS.map((v) => [v.id, toListQuery({ ...EMPTY_FILTERS, ...v.filters }, 'deadbeef')]));
    expect(byId.ready).toEqual({ project_id: 'deadbeef', ready: true });
    expect(byId.blocked).toEqual({ project_id: 'deadbeef', status: ['blocked'] });
    expect(byId.recent).toEqual({ project_id: 'deadbeef', status: ['done'], sort: '-completed_at' });
    expect(byId.parents).toEqual({ project_id: 'deadbeef', has_subtasks: true });
    expect(activeQuickView({ ...EMPTY_FILTERS, status: ['done'], sort: ['-completed_at'], q: 'abc' })?.id).toBe('recent');
    expect(activeQuickView({ ...EMPTY_FILTERS, status: ['done'] })).toBeUndefined();
  });

  it('cycle a column header: ascending, descending, default', () => {
    expect(nextSort([], 'priority')).toEqual(['priority']);
    expect(nextSort(['priority'], 'priority')).toEqual(['-priority']);
    expect(nextSort(['-priority'], 'priority')).toEqual([]);
    expect(nextSort(['-priority'], 'title')).toEqual(['title']);
  });
});
