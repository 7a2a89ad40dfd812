/**
 * Filters for the task list and board: search (debounced; the URL, and so the request, changes only
 * after a pause, and React Query aborts the request it replaces), quick views, status with counts,
 * priority, tags, ready / blocks others / has subtasks, and date ranges. Everything lives in the URL.
 */
import { useEffect, useRef, useState } from 'react';
import { QUICK_VIEWS, type TaskFilters, type TriState, activeQuickView, EMPTY_FILTERS } from '../lib/filters';
import { PRIORITIES, PRIORITY_LABELS, STATUSES, STATUS_LABELS, type StatusCounts, type TaskStatus } from '../lib/types';

export const SEARCH_DEBOUNCE_MS = 250;

interface Props {
  filters: TaskFilters;
  onChange: (filters: TaskFilters, options?: { replace?: boolean }) => void;
  counts?: StatusCounts | undefined;
  /** The board shows statuses as columns: no status filter there. */
  showStatus?: boolean;
}

function TriSelect({ id, label, value, onChange }: { id: string; label: string; value: TriState; onChange: (v: TriState) => void }) {
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as TriState)}>
        <option value="">Any</option>
        <option value="yes">Yes</option>
        <option value="no">No</option>
      </select>
    </span>
  );
}

export function FilterBar({ filters, onChange, counts, showStatus = true }: Props) {
  const [text, setText] = useState(filters.q);
  const [tagText, setTagText] = useState(filters.tags.join(' '));
  const [more, setMore] = useState(() => !!(filters.createdFrom || filters.createdTo || filters.updatedFrom || filters.updatedTo));
  // On a phone the filters start folded, so the list is on the first screen.
  const [folded, setFolded] = useState(() => window.matchMedia?.('(max-width: 700px)').matches ?? false);
  // The debounced search fires later: it applies to the filters (and URL) as they are by then.
  const latest = useRef(filters);
  latest.current = filters;
  const change = useRef(onChange);
  change.current = onChange;

  // The URL is the truth: follow it when it changes elsewhere (back button, a quick view).
  useEffect(() => setText(filters.q), [filters.q]);
  useEffect(() => setTagText(filters.tags.join(' ')), [filters.tags]);

  useEffect(() => {
    if (text === latest.current.q) return;
    const timer = setTimeout(() => change.current({ ...latest.current, q: text }, { replace: true }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const set = (patch: Partial<TaskFilters>) => onChange({ ...filters, ...patch });
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const quick = activeQuickView(filters);
  const active = [filters.status.length, filters.priority.length, filters.tags.length, filters.ready, filters.isBlocker, filters.hasSubtasks, filters.createdFrom, filters.createdTo, filters.updatedFrom, filters.updatedTo].filter(
    (x) => x !== undefined && x !== '' && x !== 0,
  ).length;
  const commitTags = () => {
    const tags = tagText.split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter(Boolean);
    if (tags.join(' ') !== filters.tags.join(' ')) set({ tags });
  };

  return (
    <section className={`filters${folded ? ' folded' : ''}`} aria-label="Filters">
      <div className="filter-row">
        <span className="field search">
          <label htmlFor="task-search">Search</label>
          <input
            id="task-search"
            type="search"
            placeholder="Title or description  ( / )"
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
            }}
          />
        </span>
        <button type="button" className="fold-toggle" aria-expanded={!folded} aria-controls="filter-details" onClick={() => setFolded((f) => !f)}>
          Filters{active ? ` (${active})` : ''}
        </button>
        <div className="quick-views" role="group" aria-label="Quick views">
          {QUICK_VIEWS.map((v) => (
            <button key={v.id} type="button" aria-pressed={quick?.id === v.id} onClick={() => onChange(quick?.id === v.id ? { ...EMPTY_FILTERS, q: filters.q } : { ...EMPTY_FILTERS, q: filters.q, ...v.filters })}>
              {v.label}
            </button>
          ))}
        </div>
      </div>
      <div id="filter-details" className="filter-details">
      {showStatus && (
        <fieldset className="chips">
          <legend>Status</legend>
          {STATUSES.map((s: TaskStatus) => (
            <label key={s} className={`chip status-${s}`}>
              <input type="checkbox" checked={filters.status.includes(s)} onChange={() => set({ status: toggle(filters.status, s) })} />
              {STATUS_LABELS[s]}
              {counts && <span className="count" aria-label={`${counts[s]} tasks`}>{counts[s]}</span>}
            </label>
          ))}
        </fieldset>
      )}
      <div className="filter-row">
        <fieldset className="chips">
          <legend>Priority</legend>
          {PRIORITIES.map((p) => (
            <label key={p} className="chip">
              <input type="checkbox" checked={filters.priority.includes(p)} onChange={() => set({ priority: toggle(filters.priority, p) })} />
              {PRIORITY_LABELS[p]}
            </label>
          ))}
        </fieldset>
        <span className="field">
          <label htmlFor="tag-filter">Tags (all of)</label>
          <input
            id="tag-filter"
            placeholder="backend api"
            value={tagText}
            onChange={(e) => setTagText(e.target.value)}
            onBlur={commitTags}
            onKeyDown={(e) => e.key === 'Enter' && commitTags()}
          />
        </span>
        <TriSelect id="f-ready" label="Ready to start" value={filters.ready} onChange={(ready) => set({ ready })} />
        <TriSelect id="f-blocker" label="Blocks others" value={filters.isBlocker} onChange={(isBlocker) => set({ isBlocker })} />
        <TriSelect id="f-subtasks" label="Has subtasks" value={filters.hasSubtasks} onChange={(hasSubtasks) => set({ hasSubtasks })} />
        <button type="button" className="link" aria-expanded={more} onClick={() => setMore((m) => !m)}>
          Dates
        </button>
        <button type="button" className="link" onClick={() => onChange({ ...EMPTY_FILTERS, sort: filters.sort })}>
          Clear filters
        </button>
      </div>
      {more && (
        <div className="filter-row dates">
          {(
            [
              ['createdFrom', 'Created from'],
              ['createdTo', 'Created until'],
              ['updatedFrom', 'Updated from'],
              ['updatedTo', 'Updated until'],
            ] as const
          ).map(([key, label]) => (
            <span className="field" key={key}>
              <label htmlFor={`f-${key}`}>{label}</label>
              <input id={`f-${key}`} type="date" value={filters[key]} onChange={(e) => set({ [key]: e.target.value })} />
            </span>
          ))}
        </div>
      )}
      </div>
    </section>
  );
}
