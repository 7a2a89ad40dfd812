/**
 * The requests the bench sends, by id. Lists and single reads use the medium project (the default
 * project of every service run); P4 compares the small and large projects; writes go to a project of
 * their own so the rows after them read the same data as the rows before.
 */
import type { LoadSpec } from './load.js';
import type { SeededProject } from './seed.js';

export type CaseId = 'list' | 'list64' | 'get' | 'get304' | 'search' | 'listSmall' | 'listLarge' | 'post';

export interface Case {
  id: CaseId;
  label: string;
  /** The request, without connections and durations (those come from the options). */
  request: Pick<LoadSpec, 'url' | 'method' | 'body' | 'headers' | 'expectStatus'>;
  /** The tail-latency rows use many connections. */
  many?: boolean;
}

export interface BenchProjects {
  small: SeededProject;
  medium: SeededProject;
  large: SeededProject;
  writes: SeededProject;
}

export const POST_BODY = JSON.stringify({
  title: 'Benchmark task',
  description: 'Created by the benchmark to measure POST /api/v1/tasks.',
  priority: 'medium',
  tags: ['bench', 'api'],
});

/** `etag`: the ETag of the single task, captured from the service (for the 304 row). */
export function benchCases(p: BenchProjects, etag: string): Record<CaseId, Case> {
  const list = '/api/v1/tasks?limit=50';
  const get = singleTaskUrl(p);
  return {
    list: { id: 'list', label: 'GET /tasks?limit=50', request: { url: list } },
    list64: { id: 'list64', label: 'GET /tasks?limit=50', request: { url: list }, many: true },
    get: { id: 'get', label: 'GET /tasks/{id}', request: { url: get } },
    get304: { id: 'get304', label: 'GET /tasks/{id}, If-None-Match (304)', request: { url: get, headers: { 'If-None-Match': etag }, expectStatus: 304 } },
    search: { id: 'search', label: 'GET /tasks/search?q=login', request: { url: '/api/v1/tasks/search?q=login' } },
    listSmall: { id: 'listSmall', label: `GET /tasks?limit=50, ${p.small.tasks} tasks`, request: { url: `${list}&project_id=${p.small.projectId}` } },
    listLarge: { id: 'listLarge', label: `GET /tasks?limit=50, ${p.large.tasks} tasks`, request: { url: `${list}&project_id=${p.large.projectId}` } },
    post: { id: 'post', label: 'POST /tasks', request: { url: `/api/v1/tasks?project_id=${p.writes.projectId}`, method: 'POST', body: POST_BODY } },
  };
}

/** The single-task URL (captured before the cases exist, for its ETag). */
export function singleTaskUrl(p: BenchProjects): string {
  return `/api/v1/tasks/${p.medium.liveIds[Math.floor(p.medium.liveIds.length / 2)]!}`;
}

/** Rows of the default configuration (cache on). */
export const CACHED_CASES: CaseId[] = ['list', 'get304', 'list64', 'get', 'search', 'listSmall', 'listLarge', 'post'];
/** Rows with CACHE_TTL_MS=0: every request reaches MCP. */
export const UNCACHED_CASES: CaseId[] = ['list', 'list64', 'get', 'search', 'listSmall', 'listLarge'];
/** Rows measured against the bare baseline right after the service row: every goal row of the default transport... */
export const PAIRED_CASES: ReadonlySet<CaseId> = new Set(['list', 'get304', 'list64', 'get', 'search', 'post']);
/** ...and the rows the transports are compared by. */
export const TRANSPORT_PAIRED_CASES: ReadonlySet<CaseId> = new Set(['list', 'post']);
