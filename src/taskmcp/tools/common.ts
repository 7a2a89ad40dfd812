/**
 * Pieces every tool shares: the tool definition type, workspace resolution (WS) with registration for
 * writes and lookup for reads, pagination and mode checks, the response-size budget, row views, and the
 * parameter specs. See docs/task-mcp-compatibility.md, "Conventions".
 */
import { randomUUID } from 'node:crypto';
import { ToolError, softError, type SoftError } from '../errors.js';
import type { Family } from '../encoding.js';
import { hash8, resolveWorkspacePath } from '../paths.js';
import { pyIsBlank, pyLen } from '../pytext.js';
import { findProject, register, touchLater, type ProjectRow } from '../registry.js';
import type { Connection, Row, Store } from '../store.js';
import type { ArgsOf, KindTypes, ParamKind, ParamSpec } from '../validation.js';
import { queryFunctions } from './sql-functions.js';

export interface ToolContext {
  store: Store;
  /** FastMCP's ctx.session_id: the HTTP session id, or a per-session UUID for stdio / in-memory. */
  sessionId: string;
}

export interface ToolDef {
  name: string;
  description: string;
  family: Family;
  params: readonly ParamSpec[];
  /** Arguments are validated against `params` before the call (see defineTool for the typed form). */
  run(args: Record<string, unknown>, ctx: ToolContext): unknown;
}

/** A tool whose body receives arguments typed from its parameter specs. */
export function defineTool<const Ps extends readonly ParamSpec[]>(def: {
  name: string;
  description: string;
  family: Family;
  params: Ps;
  run(args: ArgsOf<Ps>, ctx: ToolContext): unknown;
}): ToolDef {
  return def as unknown as ToolDef;
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

export interface OpenWorkspace {
  resolved: string;
  id: string;
  db: Connection;
}

/** Writes: WS, then REG, then the project connection (the database is created on demand). */
export async function openForWrite(ctx: ToolContext, workspacePath: string): Promise<OpenWorkspace> {
  const resolved = resolveWs(workspacePath);
  const id = await register(ctx.store, resolved);
  const db = ctx.store.project(id, 'write')!;
  queryFunctions(db);
  return { resolved, id, db };
}

export interface ReadWorkspace extends OpenWorkspace {
  /** The registry row; undefined for a workspace nobody registered. */
  project: ProjectRow | undefined;
}

/**
 * Reads: WS, then the project's database if its file exists, else an empty in-memory project (so every
 * read answers as for a project without tasks). Registers, creates and waits for nothing; a registered
 * project's last_accessed is bumped later (registry.ts). A database file without a registry row (say,
 * master.db was lost) is still read: its data stays visible.
 */
export function openForRead(ctx: ToolContext, workspacePath: string): ReadWorkspace {
  const resolved = resolveWs(workspacePath);
  const id = hash8(resolved);
  const project = findProject(ctx.store, id);
  if (project) touchLater(ctx.store, id);
  const db = ctx.store.project(id, 'read') ?? ctx.store.emptyProject();
  queryFunctions(db);
  return { resolved, id, db, project };
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

/** task-mcp's token estimate: floor(len/4) per string value; keys and non-strings count 0. */
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

/** Parse a JSON-in-TEXT string list leniently (unparseable -> []). */
export function parseStrList(text: unknown): string[] {
  if (typeof text !== 'string' || !text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function spec<const N extends string, const K extends ParamKind>(name: N, kind: K) {
  return { name, kind } as const;
}

function withDefault<const N extends string, const K extends ParamKind, const D extends KindTypes[K]>(name: N, kind: K, value: D) {
  return { name, kind, default: value } as const;
}

function optional<const N extends string, const K extends ParamKind>(name: N, kind: K) {
  return { name, kind, nullable: true, default: null } as const;
}

/** Parameter specs (task-mcp's Python signatures). */
export const P = {
  ws: spec('workspace_path', 'str'),
  limit: withDefault('limit', 'int', 100),
  offset: withDefault('offset', 'int', 0),
  mode: withDefault('mode', 'str', 'summary'),
  req: spec,
  def: withDefault,
  opt: optional,
  optStr: <const N extends string>(name: N) => optional(name, 'str'),
  optInt: <const N extends string>(name: N) => optional(name, 'int'),
  reqStr: <const N extends string>(name: N) => spec(name, 'str'),
  reqInt: <const N extends string>(name: N) => spec(name, 'int'),
};
