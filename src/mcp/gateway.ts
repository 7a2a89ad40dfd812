/**
 * Calls task-mcp tools through the session pool: one place for per-call timeouts, recycling sessions
 * that failed, retrying a read once on a fresh session, tool-name prefixes and tool discovery.
 */
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { McpBreaker } from './breaker.js';
import { currentCaller } from '../request-context.js';
import { McpTimeoutError, McpUnavailableError } from './errors.js';
import type { PooledSession, SessionPool } from './pool.js';
import { ToolCallError, decodeToolResult } from './tool-result.js';

/** The same failure, now saying that the call may have been applied and when that is settled. */
function withOutcome(failure: McpTimeoutError | McpUnavailableError, settled: Promise<void>): Error {
  if (failure instanceof McpTimeoutError) return new McpTimeoutError(failure.message, { settled });
  return new McpUnavailableError(failure.message, { retriable: failure.retriable, notDelivered: false, retryAfter: failure.retryAfter, outcome: { settled } });
}

/** Claude Code-style clients see task-mcp's tools as `mcp__task-mcp__<name>`. */
const TOOL_PREFIX = /^mcp__[^_]+(?:[-_][^_]+)*__/;

export function canonicalToolName(name: string): string {
  return name.replace(TOOL_PREFIX, '');
}

export interface CallOptions {
  /** Writes are never replayed: a write that may have reached the server is not sent twice. */
  write?: boolean;
  timeoutMs?: number;
}

export interface GatewayOptions {
  callTimeoutMs: number;
  /** The transport's test for failures the server provably never acted on (see TransportRecord.notDelivered). */
  notDelivered?: (err: unknown) => boolean;
  /** Observes every call (for metrics): tool, outcome, seconds. */
  onCall?: (tool: string, outcome: 'ok' | 'tool_error' | 'timeout' | 'unavailable', seconds: number) => void;
}

export class McpGateway {
  /** canonical tool name -> name as the backend lists it */
  private toolNames: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly pool: SessionPool,
    private readonly breaker: McpBreaker,
    private readonly options: GatewayOptions,
    private readonly log: Logger,
  ) {}

  /** Whether the backend offers a tool (e.g. our extension tools); listed once per gateway. */
  async hasTool(name: string): Promise<boolean> {
    return (await this.tools()).has(name);
  }

  async call(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const started = process.hrtime.bigint();
    const observe = (outcome: 'ok' | 'tool_error' | 'timeout' | 'unavailable') =>
      this.options.onCall?.(tool, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    try {
      const name = (await this.tools()).get(tool) ?? tool;
      const result = await this.breaker.run(async () => {
        try {
          return await this.attempt(tool, name, args, options);
        } catch (err) {
          // A read that lost its session (child died, HTTP session gone) is retried once on a fresh
          // one; a write only when the server provably never ran it, since it may have been applied.
          if (!(err instanceof McpUnavailableError && err.retriable && (!options.write || err.notDelivered))) throw err;
          this.log.info({ tool }, 'retrying on a fresh MCP session');
          return await this.attempt(tool, name, args, options);
        }
      });
      observe('ok');
      return result;
    } catch (err) {
      observe(err instanceof ToolCallError ? 'tool_error' : err instanceof McpTimeoutError ? 'timeout' : 'unavailable');
      throw err;
    }
  }

  private async attempt(tool: string, name: string, args: Record<string, unknown>, options: CallOptions): Promise<unknown> {
    const session = await this.pool.acquire(currentCaller());
    let healthy = true;
    let sent = false;
    try {
      // client.request rather than client.callTool: we decode every wire form ourselves (including
      // results whose structured content breaks the tool's own outputSchema, SDK issue #1943).
      // The request is serialised before anything is written: a body that cannot be (far too deep)
      // is the request's fault, not the session's.
      const request = { method: 'tools/call' as const, params: { name, arguments: args } };
      JSON.stringify(request);
      sent = true;
      const result = await session.client.request(request, CallToolResultSchema, { timeout: options.timeoutMs ?? this.options.callTimeoutMs });
      return decodeToolResult(tool, result);
    } catch (err) {
      if (err instanceof ToolCallError) throw err;
      if (!sent) throw new ToolCallError('validation', tool, `The request cannot be sent: ${(err as Error).message}`);
      let failure = this.classify(tool, err);
      if (failure instanceof McpTimeoutError || failure instanceof McpUnavailableError) {
        healthy = false;
        // A session that timed out or broke may still be working on the call: stop it for good, so
        // that its outcome is settled once it is gone (nothing half-done can commit later).
        const settled = this.pool.discard(session, `call to ${tool} failed`, { terminate: true });
        if (!(failure instanceof McpUnavailableError && failure.notDelivered)) failure = withOutcome(failure, settled);
      }
      // A server that forgot this session forgot the others too: replace them before the retry.
      if (failure instanceof McpUnavailableError && failure.notDelivered) this.pool.discardIdle('the server no longer knows the session');
      throw failure;
    } finally {
      if (healthy) this.pool.release(session);
    }
  }

  private classify(tool: string, err: unknown): Error {
    if (err instanceof McpTimeoutError || err instanceof McpUnavailableError) return err;
    if (err instanceof McpError) {
      if (err.code === ErrorCode.RequestTimeout) return new McpTimeoutError(`The MCP tool ${tool} did not answer in time`);
      if (err.code === ErrorCode.ConnectionClosed) return new McpUnavailableError(`The MCP session closed during ${tool}`, { retriable: true });
      // A JSON-RPC error answer: the session is fine, the server refused the call.
      if (err.code === ErrorCode.MethodNotFound) return new ToolCallError('unknown_tool', tool, err.message);
      if (err.code === ErrorCode.InvalidParams) {
        return new ToolCallError(/not found/i.test(err.message) ? 'unknown_tool' : 'validation', tool, err.message);
      }
      return new ToolCallError('tool', tool, err.message);
    }
    const message = err instanceof Error ? err.message : String(err);
    const notDelivered = this.options.notDelivered?.(err) ?? false;
    // HTTP errors, a stale session, a refused connection: use a new session.
    return new McpUnavailableError(`MCP transport failure during ${tool}: ${message}`, { retriable: true, notDelivered });
  }

  private tools(): Promise<Map<string, string>> {
    this.toolNames ??= this.listTools().catch((err: unknown) => {
      this.toolNames = undefined; // try again next time
      throw err;
    });
    return this.toolNames;
  }

  private async listTools(): Promise<Map<string, string>> {
    const session: PooledSession = await this.pool.acquire();
    let healthy = true;
    try {
      const names = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await session.client.listTools(cursor ? { cursor } : undefined, { timeout: this.options.callTimeoutMs });
        for (const t of page.tools) names.set(canonicalToolName(t.name), t.name);
        cursor = page.nextCursor;
      } while (cursor);
      return names;
    } catch (err) {
      healthy = false;
      throw this.classify('tools/list', err);
    } finally {
      if (healthy) this.pool.release(session);
      else this.pool.discard(session, 'tools/list failed');
    }
  }
}
