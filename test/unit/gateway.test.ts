/** McpGateway's promises (timeouts, recycling, the one retry of reads, prefixes, discovery) over fake sessions. */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { McpBreaker } from '../../src/mcp/breaker.js';
import { McpTimeoutError, McpUnavailableError } from '../../src/mcp/errors.js';
import { McpGateway } from '../../src/mcp/gateway.js';
import { SessionPool } from '../../src/mcp/pool.js';
import { ToolCallError } from '../../src/mcp/tool-result.js';
import { type FakeSession, fakeSessions } from '../helpers/fake-sessions.js';
import { waitFor } from '../helpers/processes.js';

const log = pino({ level: 'silent' });
const ok = (value: unknown) => ({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });
let pool: SessionPool | undefined;
let breaker: McpBreaker | undefined;
afterEach(async () => {
  breaker?.shutdown();
  await pool?.close();
});

function gateway(answer: Parameters<typeof fakeSessions>[0], options: { tools?: string[]; notDelivered?: (err: unknown) => boolean } = {}) {
  const fake = fakeSessions(answer, options.tools);
  pool = new SessionPool(fake.factory, { size: 2, acquireTimeoutMs: 5_000, maxWaiting: 10 }, log);
  breaker = new McpBreaker('fake', { errorThresholdPercentage: 50, volumeThreshold: 100, resetTimeoutMs: 1_000, rollingWindowMs: 10_000 }, log);
  const outcomes: string[] = [];
  const gw = new McpGateway(pool, breaker, { callTimeoutMs: 1_000, notDelivered: options.notDelivered, onCall: (_t, outcome) => outcomes.push(outcome) }, log);
  return { gw, fake, pool, outcomes };
}

describe('McpGateway', () => {
  it('returns the decoded payload and gives the session back', async () => {
    const { gw, pool, outcomes } = gateway(() => ok({ id: 1 }));
    await pool.start();
    expect(await gw.call('get_task', { task_id: 1 })).toEqual({ id: 1 });
    expect(pool.stats()).toMatchObject({ idle: 2, busy: 0 });
    expect(outcomes).toEqual(['ok']);
  });

  it('a tool refusal is a ToolCallError and the session stays', async () => {
    const { gw, pool, fake, outcomes } = gateway(() => ({ content: [{ type: 'text', text: "Error calling tool 'get_task': Task 9 not found" }], isError: true }));
    await pool.start();
    await expect(gw.call('get_task', {})).rejects.toBeInstanceOf(ToolCallError);
    expect(fake.opened).toHaveLength(2);
    expect(outcomes).toEqual(['tool_error']);
  });

  it('a timeout becomes McpTimeoutError and the session is recycled, never reused', async () => {
    const { gw, pool, fake } = gateway(() => {
      throw new McpError(ErrorCode.RequestTimeout, 'Request timed out');
    });
    await pool.start();
    await expect(gw.call('list_tasks', {})).rejects.toBeInstanceOf(McpTimeoutError);
    expect(fake.opened.filter((s) => s.closed)).toHaveLength(1);
    expect(pool.sessions().some((s) => fake.opened[s.pid! - 1000]!.closed)).toBe(false);
    await waitFor(() => fake.opened.length === 3, 5_000, 'replacement');
  });

  it('a read that lost its session is retried once on another; a write is not', async () => {
    const seen: number[] = [];
    const { gw, pool } = gateway((session: FakeSession) => {
      seen.push(session.id);
      if (seen.length === 1) throw new McpError(ErrorCode.ConnectionClosed, 'Connection closed');
      return ok({ fine: true });
    });
    await pool.start();
    expect(await gw.call('list_tasks', {})).toEqual({ fine: true });
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);

    seen.length = 0;
    await expect(gw.call('create_task', {}, { write: true })).rejects.toBeInstanceOf(McpUnavailableError);
    expect(seen).toHaveLength(1);
  });

  it('a write is resent only when the transport proves it was never delivered', async () => {
    let calls = 0;
    const forgotten = new Error('session not found');
    const { gw, pool } = gateway(
      () => {
        calls++;
        if (calls === 1) throw forgotten;
        return ok({ id: 5 });
      },
      { notDelivered: (err) => err === forgotten },
    );
    await pool.start();
    expect(await gw.call('create_task', {}, { write: true })).toEqual({ id: 5 });
    expect(calls).toBe(2);
  });

  it('knows tools by their canonical name and lists them once', async () => {
    const names: string[] = [];
    const { gw, pool } = gateway((_s, request) => (names.push(String(request.params?.name)), ok({})), { tools: ['mcp__task-mcp__list_tags', 'get_task'] });
    await pool.start();
    expect(await gw.hasTool('list_tags')).toBe(true);
    expect(await gw.hasTool('get_next_tasks')).toBe(false);
    await gw.call('list_tags', {});
    expect(names).toEqual(['mcp__task-mcp__list_tags']);
  });
});
