/**
 * The task list: server-side filters and sort from the URL, counts per status (`meta`), a virtualised
 * grid (only visible rows are in the DOM) whose rows come from pages fetched as they scroll into view,
 * and the selected task in a side panel. `j`/`k` move the selection, `Enter` opens it.
 */
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type TaskSortKey } from 'task-viewer-client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorState, PriorityBadge, StatusBadge, Time } from '../components/common';
import { ExportButtons } from '../components/ExportButtons';
import { FilterBar } from '../components/FilterBar';
import { TaskPanel } from '../components/TaskDetail';
import { shouldRetry, useApi } from '../lib/api';
import { type TaskFilters, filtersFromParams, filtersToParams, nextSort, sortDirection, toListQuery } from '../lib/filters';
import { useShortcuts } from '../lib/keyboard';
import { PAGE_SIZE, pagesFor } from '../lib/paging';
import type { Route } from '../lib/route';
import type { Navigate } from '../lib/router';
import type { Task } from '../lib/types';

const ROW_HEIGHT = 44;

const COLUMNS: Array<{ key: TaskSortKey | 'tags' | 'subtasks'; label: string; sortable: boolean; className: string }> = [
  { key: 'id', label: '#', sortable: true, className: 'c-id' },
  { key: 'title', label: 'Title', sortable: true, className: 'c-title' },
  { key: 'status', label: 'Status', sortable: true, className: 'c-status' },
  { key: 'priority', label: 'Priority', sortable: true, className: 'c-priority' },
  { key: 'tags', label: 'Tags', sortable: false, className: 'c-tags' },
  { key: 'subtasks', label: 'Subtasks', sortable: false, className: 'c-subtasks' },
  { key: 'updated_at', label: 'Updated', sortable: true, className: 'c-updated' },
  { key: 'created_at', label: 'Created', sortable: true, className: 'c-created' },
  { key: 'completed_at', label: 'Completed', sortable: true, className: 'c-completed' },
];

/** The value, once it has not changed for `ms` (fetch pages when a fast scroll settles). */
function useSettled<T>(value: T, ms: number, same: (a: T, b: T) => boolean): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (same(settled, value)) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms, settled, same]);
  return settled;
}
const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function TaskList({ route, navigate, projectId }: { route: Route; navigate: Navigate; projectId: string }) {
  const { $api } = useApi();
  const filters = useMemo(() => filtersFromParams(route.params), [route.params]);
  const query = useMemo(() => toListQuery(filters, projectId), [filters, projectId]);
  const selectedTask = Number(route.params.get('task')) || undefined;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState(0);
  const [range, setRange] = useState<number[]>([0]);
  const pages = useSettled(range, 80, sameList);

  const first = $api.useQuery('get', '/api/v1/tasks', { params: { query: { ...query, limit: PAGE_SIZE, offset: 0 } } }, { retry: shouldRetry, placeholderData: (prev) => prev });
  const total = first.data?.total ?? 0;
  const results = useQueries({
    queries: pages
      .filter((p) => p > 0 && p * PAGE_SIZE < total)
      .map((p) => $api.queryOptions('get', '/api/v1/tasks', { params: { query: { ...query, limit: PAGE_SIZE, offset: p * PAGE_SIZE } } }, { retry: shouldRetry })),
  });
  const pageData = new Map<number, Task[]>();
  if (first.data && !first.isPlaceholderData) pageData.set(0, first.data.tasks);
  pages.filter((p) => p > 0 && p * PAGE_SIZE < total).forEach((p, i) => {
    const data = results[i]?.data;
    if (data) pageData.set(p, data.tasks);
  });
  const taskAt = (index: number) => pageData.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];

  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    const next = pagesFor(firstIndex, lastIndex);
    setRange((prev) => (sameList(prev, next) ? prev : next));
  }, [firstIndex, lastIndex]);

  // New filters: back to the top.
  const queryText = JSON.stringify(query);
  useEffect(() => {
    setCursor(0);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryText]);

  const setFilters = (next: TaskFilters, options?: { replace?: boolean }) => navigate({ ...route, params: filtersToParams(next, route.params) }, options);
  const open = (id: number) => navigate({ ...route, params: new URLSearchParams({ ...Object.fromEntries(route.params), task: String(id) }) });
  const close = () => {
    const params = new URLSearchParams(route.params);
    params.delete('task');
    navigate({ ...route, params });
  };

  useShortcuts((key, event) => {
    if (key === 'Escape' && selectedTask) close();
    else if (key === '/') {
      event.preventDefault();
      document.getElementById('task-search')?.focus();
    } else if ((key === 'j' || key === 'k') && total > 0) {
      event.preventDefault();
      const next = Math.min(total - 1, Math.max(0, cursor + (key === 'j' ? 1 : -1)));
      setCursor(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    } else if (key === 'Enter') {
      const task = taskAt(cursor);
      if (task) open(task.id);
    }
  });

  const counts = first.data?.meta.project.status_counts;
  const filtered = first.data?.meta.filtered;

  return (
    <div className={`with-panel${selectedTask ? ' panel-open' : ''}`}>
      <main id="main" className="page list-page">
        <h1 className="visually-hidden">Tasks</h1>
        <FilterBar filters={filters} onChange={setFilters} counts={counts} />
        <div className="list-toolbar">
          <p className="summary" role="status" aria-live="polite">
            {first.isPending ? 'Loading tasks…' : first.isError ? '' : `${total.toLocaleString()} ${total === 1 ? 'task' : 'tasks'}`}
            {filtered && first.data && filtered.total !== first.data.meta.project.total && (
              <span className="muted"> of {first.data.meta.project.total.toLocaleString()} in the project</span>
            )}
            {first.isFetching && !first.isPending && <span className="muted"> · updating</span>}
          </p>
          <ExportButtons query={query} />
        </div>
        {first.isError ? (
          <ErrorState what="The tasks" error={first.error} retry={() => void first.refetch()} />
        ) : (
          <div className="grid" role="grid" aria-label="Tasks" aria-rowcount={total + 1} aria-colcount={COLUMNS.length}>
            <div className="grid-head" role="rowgroup">
              <div className="row head" role="row" aria-rowindex={1}>
                {COLUMNS.map((c) => {
                  const dir = c.sortable ? sortDirection(filters.sort, c.key) : undefined;
                  return (
                    <div key={c.key} role="columnheader" className={c.className} aria-sort={dir ?? (c.sortable ? 'none' : undefined)}>
                      {c.sortable ? (
                        <button type="button" className="sort" onClick={() => setFilters({ ...filters, sort: nextSort(filters.sort, c.key as TaskSortKey) })}>
                          {c.label}
                          <span aria-hidden="true">{dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
                        </button>
                      ) : (
                        c.label
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
            <div className="grid-body" ref={scrollRef} role="rowgroup" data-testid="task-scroll">
              {!first.isPending && total === 0 && (
                <div className="state empty" role="row">
                  <div role="gridcell">No task matches these filters.</div>
                </div>
              )}
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => {
                  const task = taskAt(item.index);
                  const style = { height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
                  if (!task)
                    return (
                      <div key={item.key} className="row placeholder" role="row" aria-rowindex={item.index + 2} style={style}>
                        <div role="gridcell" className="c-title">
                          Loading…
                        </div>
                      </div>
                    );
                  return (
                    <div
                      key={item.key}
                      role="row"
                      aria-rowindex={item.index + 2}
                      aria-selected={item.index === cursor}
                      data-task-id={task.id}
                      className={`row${item.index === cursor ? ' cursor' : ''}${task.id === selectedTask ? ' selected' : ''}`}
                      style={style}
                      onClick={() => {
                        setCursor(item.index);
                        open(task.id);
                      }}
                    >
                      <div role="gridcell" className="c-id">
                        {task.id}
                      </div>
                      <div role="gridcell" className="c-title">
                        <button type="button" className="title-link" onClick={(e) => (e.stopPropagation(), setCursor(item.index), open(task.id))}>
                          {task.title}
                        </button>
                        {task.is_blocker && <span className="tag warn">blocks {task.blocks_task_ids.length}</span>}
                      </div>
                      <div role="gridcell" className="c-status">
                        <StatusBadge status={task.status} />
                      </div>
                      <div role="gridcell" className="c-priority">
                        <PriorityBadge priority={task.priority} />
                      </div>
                      <div role="gridcell" className="c-tags">
                        {task.tags.map((t) => (
                          <span key={t} className="tag">
                            {t}
                          </span>
                        ))}
                      </div>
                      <div role="gridcell" className="c-subtasks">
                        {task.subtask_count ? `${task.subtask_done_count}/${task.subtask_count}` : ''}
                      </div>
                      <div role="gridcell" className="c-updated">
                        <Time value={task.updated_at} />
                      </div>
                      <div role="gridcell" className="c-created">
                        <Time value={task.created_at} />
                      </div>
                      <div role="gridcell" className="c-completed">
                        <Time value={task.completed_at} />
                      </div>
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
        )}
      </main>
      {selectedTask && <TaskPanel projectId={projectId} taskId={selectedTask} onClose={close} navigate={navigate} route={route} />}
    </div>
  );
}
