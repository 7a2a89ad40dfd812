/**
 * The service layer's access to task-mcp: reads through the cache, writes that invalidate it, tool
 * discovery and paging. Everything leaves here as task-mcp rows or domain errors (src/domain/errors.ts).
 */
import type { Logger } from 'pino';
import type { ReadCache } from '../cache/read-cache.js';
import { UnavailableError } from '../domain/errors.js';
import type { McpGateway } from '../mcp/gateway.js';
import { ToolCallError } from '../mcp/tool-result.js';
import { type Envelope, toEnvelope } from './adapter.js';
import { toDomainError } from './tool-errors.js';

export type Row = Record<string, unknown>;
export type Args = Record<string, unknown>;

/** The tool that fetches one row (without a response budget) for each list tool. */
const SINGLE_ROW_TOOL: Record<string, { tool: string; idArg: string }> = {
  list_tasks: { tool: 'get_task', idArg: 'task_id' },
  search_tasks: { tool: 'get_task', idArg: 'task_id' },
  get_entity_tasks: { tool: 'get_task', idArg: 'task_id' },
  list_entities: { tool: 'get_entity', idArg: 'entity_id' },
  search_entities: { tool: 'get_entity', idArg: 'entity_id' },
};

/** Cache scope of the project registry (list_projects); workspaces are scoped by their path. */
export const PROJECTS_SCOPE = '*projects*';
/** task-mcp's largest page (its `limit` accepts 1..1000). */
export const TASK_MCP_MAX_PAGE = 1000;

export class ToolBackend {
  constructor(
    private readonly gateway: McpGateway,
    private readonly cache: ReadCache,
    private readonly log: Logger,
  ) {}

  /** Calls a read-only tool through the cache (`fresh` skips it). */
  async read(tool: string, args: Args, options: { fresh?: boolean } = {}): Promise<unknown> {
    try {
      return await this.cachedCall(tool, args, options.fresh);
    } catch (err) {
      throw this.domainError(tool, err);
    }
  }

  /**
   * Calls a tool that changes data. The workspace's cached reads (and the project list, which shows
   * last access and names) are invalidated before this returns, even when the call failed: a write
   * that timed out may still have happened.
   */
  async write(tool: string, args: Args): Promise<unknown> {
    try {
      return await this.gateway.call(tool, args, { write: true });
    } catch (err) {
      throw this.domainError(tool, err);
    } finally {
      if (typeof args.workspace_path === 'string') await this.cache.invalidate(args.workspace_path);
      await this.cache.invalidate(PROJECTS_SCOPE);
    }
  }

  async hasTool(name: string): Promise<boolean> {
    try {
      return await this.gateway.hasTool(name);
    } catch (err) {
      throw this.domainError('tools/list', err);
    }
  }

  /**
   * One page of a list tool. task-mcp refuses responses over its token budget
   * (RESPONSE_SIZE_EXCEEDED); then the page is fetched in halves, so a page of long descriptions
   * still arrives whole, and a single row too big for any page is fetched on its own (the single-row
   * tools have no budget).
   */
  async page(tool: string, args: Args, limit: number, offset: number, mode: 'summary' | 'details' = 'details'): Promise<Envelope> {
    try {
      return toEnvelope(await this.cachedCall(tool, { ...args, limit, offset, mode }));
    } catch (err) {
      if (!(err instanceof ToolCallError && err.code === 'RESPONSE_SIZE_EXCEEDED')) throw this.domainError(tool, err);
      if (limit === 1) return this.oversizedRow(tool, args, offset, mode, err);
      const half = Math.ceil(limit / 2);
      const first = await this.page(tool, args, half, offset, mode);
      const second = await this.page(tool, args, limit - half, offset + half, mode);
      return { total: first.total, items: [...first.items, ...second.items] };
    }
  }

  private async oversizedRow(tool: string, args: Args, offset: number, mode: 'summary' | 'details', err: unknown): Promise<Envelope> {
    const single = SINGLE_ROW_TOOL[tool];
    if (!single || mode === 'summary') throw this.domainError(tool, err);
    const summary = await this.page(tool, args, 1, offset, 'summary');
    const id = summary.items[0]?.id;
    if (id === undefined) return summary;
    const row = (await this.read(single.tool, { workspace_path: args.workspace_path, [single.idArg]: id })) as Row;
    return { total: summary.total, items: [{ ...summary.items[0], ...row }] };
  }

  /** Every row a list tool returns, page by page (fallback paths only). */
  async scan(tool: string, args: Args, mode: 'summary' | 'details'): Promise<Row[]> {
    const rows: Row[] = [];
    for (let offset = 0; ; offset += TASK_MCP_MAX_PAGE) {
      const page = await this.page(tool, args, TASK_MCP_MAX_PAGE, offset, mode);
      rows.push(...page.items);
      if (page.items.length < TASK_MCP_MAX_PAGE || rows.length >= page.total) return rows;
    }
  }

  private domainError(tool: string, err: unknown): unknown {
    const mapped = toDomainError(err);
    if (mapped instanceof UnavailableError && mapped.code === 'backend_error') {
      // The caller gets a plain 503; the backend's own words go to the log.
      this.log.warn({ tool, backend_error: err instanceof Error ? err.message : String(err) }, 'MCP backend failed');
    }
    return mapped;
  }

  private cachedCall(tool: string, args: Args, fresh = false): Promise<unknown> {
    const call = () => this.gateway.call(tool, args);
    if (fresh) return call();
    const scope = typeof args.workspace_path === 'string' ? args.workspace_path : PROJECTS_SCOPE;
    return this.cache.getOrLoad(scope, `${tool}:${stableJson(args)}`, call);
  }
}

/** JSON with sorted keys, so equal arguments make equal cache keys. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Tool arguments without the ones left unset (task-mcp treats a passed null differently from an absent key). */
export function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
