/** McpBreaker: only plumbing failures count; open means a fast 503 with Retry-After; a probe closes it. */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { McpBreaker } from '../../src/mcp/breaker.js';
import { McpTimeoutError, McpUnavailableError } from '../../src/mcp/errors.js';
import { ToolCallError } from '../../src/mcp/tool-result.js';
import { waitFor } from '../helpers/processes.js';

let breaker: McpBreaker | undefined;
afterEach(() => breaker?.shutdown());
const make = (resetTimeoutMs = 60_000) => {
  const states: string[] = [];
  breaker = new McpBreaker('t', { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs, rollingWindowMs: 60_000 }, pino({ level: 'silent' }), (s) => states.push(s));
  return { breaker, states };
};
const fail = (err: Error) => () => Promise.reject(err);

describe('McpBreaker', () => {
  it('never opens on tool refusals', async () => {
    const { breaker } = make();
    for (let i = 0; i < 20; i++) await expect(breaker.run(fail(new ToolCallError('tool', 'x', 'not found')))).rejects.toBeInstanceOf(ToolCallError);
    expect(breaker.state).toBe('closed');
  });

  it('opens once the window holds enough failing calls, then fails fast with Retry-After', async () => {
    const { breaker, states } = make();
    for (let i = 0; i < 4; i++) await expect(breaker.run(fail(new McpTimeoutError('late')))).rejects.toBeInstanceOf(McpTimeoutError);
    expect(breaker.state).toBe('open');
    expect(states).toContain('open');
    let ran = false;
    const err = await breaker.run(async () => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(err).toBeInstanceOf(McpUnavailableError);
    expect((err as McpUnavailableError).retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('a successful half-open probe closes it', async () => {
    const { breaker, states } = make(50);
    for (let i = 0; i < 4; i++) await breaker.run(fail(new McpUnavailableError('gone'))).catch(() => undefined);
    expect(breaker.state).toBe('open');
    await waitFor(() => breaker.state === 'half_open', 5_000, 'half-open');
    expect(await breaker.run(async () => 'fine')).toBe('fine');
    expect(breaker.state).toBe('closed');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });
});
