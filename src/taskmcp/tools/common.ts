/** Pieces every tool shares: workspace resolution + registration (WS/REG), PAG, MODE, SIZE, views. */
import { randomUUID } from 'node:crypto';
import { ToolError, softError, type SoftError } from '../errors.js';
import type { Family } from '../encoding.js';
import { hash8, resolveWorkspacePath } from '../paths.js';
import { pyIsBlank, pyLen } from '../pytext.js';
import type { Connection, Row, Store } from '../store.js';
import { nowIso } from '../timestamps.js';
import type { ParamSpec } from '../validation.js';

export interface ToolContext {
  store: Store;
  /** FastMCP's ctx.session_id: the HTTP session id, or a per-session UUID for stdio / in-memory. */
  sessionId: string;
}

export interface ToolDef {
  name: string;
  description: string;
  family: Family;
  params: ParamSpec[];
  run(args: Record<string, any>, ctx: ToolContext): unknown | Promise<unknown>;
}

export const WS_REQUIRED =
  'workspace_path is REQUIRED. Please provide an explicit workspace_path parameter to prevent cross-workspace contamination. ' +
  "Example: create_task(title='Fix bug', workspace_path='/path/to/project')";

/** task-mcp's ensure_absolute_path. */
export function ensureAbsolute(p: string): string {
  if (!p || pyIsBlank(p)) throw new ToolError('Path cannot be empty');
  return resolveWorkspacePath(p);
}

/** WS: task-mcp's resolve_workspace. */
export function resolveWs(p: string): string {
  if (!p) throw new ToolError(WS_REQUIRED);
  return ensureAbsolute(p);
}

/** REG: insert the project row or bump last_accessed (never changes path or name). */
export async function register(store: Store, resolved: string): Promise<string> {
  const id = hash8(resolved);
  const m = store.master();
  await m.write(() => {
    if (m.get('SELECT id FROM projects WHERE id = ?', id)) {
      m.run('UPDATE projects SET last_accessed = ? WHERE id = ?', nowIso(), id);
    } else {
      m.run('INSERT INTO projects (id, workspace_path, created_at, last_accessed) VALUES (?, ?, ?, ?)', id, resolved, nowIso(), nowIso());
    }
  });
  return id;
}

/** WS then REG, then the project connection. */
export async function openWorkspace(ctx: ToolContext, workspacePath: string): Promise<{ resolved: string; id: string; db: Connection }> {
  const resolved = resolveWs(workspacePath);
  const id = await register(ctx.store, resolved);
  return { resolved, id, db: ctx.store.project(id) };
}

export function checkPagination(limit: number, offset: number): SoftError | null {
  if (limit < 1 || limit > 1000) return softError('PAGINATION_INVALID', `limit must be between 1 and 1000, got ${limit}`, { limit });
  if (offset < 0) return softError('PAGINATION_INVALID', `offset must be >= 0, got ${offset}`, { offset });
  return null;
}

export function checkMode(mode: string): SoftError | null {
  if (mode === 'summary' || mode === 'details') return null;
  return softError('INVALID_MODE', `Invalid mode: ${mode}. Must be 'summary' or 'details'`, { provided_mode: mode });
}

export const MAX_TOKENS = 15000;
const WARN_TOKENS = 12000;
export const LIST_SUGGESTION = 'Use pagination (limit parameter), summary mode, or filters to reduce results';

/** §5.3: floor(len/4) per string value, keys and non-strings count 0. */
export function estimateTokens(v: unknown): number {
  if (typeof v === 'string') return Math.floor(pyLen(v) / 4);
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + estimateTokens(x), 0);
  if (v && typeof v === 'object') return Object.values(v).reduce((n: number, x) => n + estimateTokens(x), 0);
  return 0;
}

export function sizeCheck<T>(value: T, suggestion: string): T | SoftError {
  const tokens = estimateTokens(value);
  if (tokens > MAX_TOKENS) {
    return softError(
      'RESPONSE_SIZE_EXCEEDED',
      `Response (${tokens} tokens) exceeds ${MAX_TOKENS} token limit`,
      { actual_tokens: tokens, max_tokens: MAX_TOKENS },
      suggestion,
    );
  }
  if (tokens > WARN_TOKENS) process.stderr.write(`task-mcp: large response (${tokens} tokens)\n`);
  return value;
}

export const TASK_SUMMARY_COLS = ['id', 'title', 'status', 'priority', 'tags', 'parent_task_id', 'created_at', 'updated_at'];
export const ENTITY_SUMMARY_COLS = ['id', 'entity_type', 'name', 'identifier', 'tags', 'created_at'];

export function pick(row: Row, cols: string[]): Row {
  const out: Row = {};
  for (const c of cols) out[c] = row[c] ?? null;
  return out;
}

export function envelope(total: number, limit: number, offset: number, items: unknown[]) {
  return { total_count: total, returned_count: items.length, limit, offset, items };
}

export function newSessionId(): string {
  return randomUUID();
}

/** Parse a JSON-in-TEXT id list leniently (unparseable -> []), as task-mcp's dependency check does. */
export function parseIdList(text: unknown): number[] {
  if (typeof text !== 'string' || !text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

/** Common parameter specs. */
export const P = {
  ws: { name: 'workspace_path', kind: 'str' } as ParamSpec,
  limit: { name: 'limit', kind: 'int', default: 100 } as ParamSpec,
  offset: { name: 'offset', kind: 'int', default: 0 } as ParamSpec,
  mode: { name: 'mode', kind: 'str', default: 'summary' } as ParamSpec,
  optStr: (name: string): ParamSpec => ({ name, kind: 'str', nullable: true, default: null }),
  optInt: (name: string): ParamSpec => ({ name, kind: 'int', nullable: true, default: null }),
  reqStr: (name: string): ParamSpec => ({ name, kind: 'str' }),
  reqInt: (name: string): ParamSpec => ({ name, kind: 'int' }),
};
