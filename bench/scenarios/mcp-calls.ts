/**
 * One MCP tool call through the pool (`gateway.call` on long-lived sessions, as the service does) against
 * a new session per call (open, call, close: a spawn and a handshake for stdio children), sequential
 * calls from the bench process.
 */
import path from 'node:path';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createSessionFactory } from '../../src/mcp/transports/index.js';
import { createRuntime } from '../../src/runtime.js';
import type { BenchHarness } from '../harness.js';
import { API_KEY, percentile } from '../load.js';
import type { BenchTransport, CallRow } from '../types.js';

function callRow(transport: BenchTransport, mode: CallRow['mode'], ms: number[], errors: number): CallRow {
  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / (ms.length || 1);
  return { transport, mode, calls: ms.length, errors, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, failed: errors > 0 || ms.length === 0 };
}

export async function pooledVsSessionPerCall(h: BenchHarness, transport: BenchTransport, pooledSeconds: number, perCallCount: number): Promise<CallRow[]> {
  h.say(`MCP calls: ${transport}`);
  const log = pino({ level: 'silent' });
  const project = h.projects.medium;
  const args = { workspace_path: project.workspacePath, task_id: project.liveIds[Math.floor(project.liveIds.length / 2)]! };
  const config = loadConfig({
    TASK_MCP_HOME: h.home,
    MCP_TRANSPORT: transport,
    MCP_POOL_SIZE: '2',
    MCP_PING_INTERVAL_MS: '0',
    API_KEYS: API_KEY,
    API_KEY_FILE: path.join(h.tmp, 'api-key'),
    LOG_LEVEL: 'silent',
  });

  const runtime = createRuntime(config, log);
  await runtime.start();
  const pooled: number[] = [];
  let pooledErrors = 0;
  try {
    for (let i = 0; i < 20; i++) await runtime.gateway.call('get_task', args); // warm-up
    const until = performance.now() + pooledSeconds * 1000;
    while (performance.now() < until) {
      const t = performance.now();
      try {
        await runtime.gateway.call('get_task', args);
        pooled.push(performance.now() - t);
      } catch {
        pooledErrors++;
      }
    }
  } finally {
    await runtime.close();
  }

  const factory = createSessionFactory(transport, { taskMcpHome: h.home, connectTimeoutMs: 15_000, callTimeoutMs: 10_000 }, log);
  const perCall: number[] = [];
  let perCallErrors = 0;
  for (let i = 0; i < perCallCount; i++) {
    const t = performance.now();
    try {
      const session = await factory();
      try {
        const result = await session.client.request({ method: 'tools/call', params: { name: 'get_task', arguments: args } }, CallToolResultSchema);
        if (result.isError) perCallErrors++;
      } finally {
        await session.close();
      }
      perCall.push(performance.now() - t);
    } catch {
      perCallErrors++;
    }
  }
  const rows = [callRow(transport, 'pooled gateway.call', pooled, pooledErrors), callRow(transport, 'new session per call', perCall, perCallErrors)];
  for (const r of rows) h.say(`    ${r.mode}: p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.calls} calls, ${r.errors} errors)`);
  return rows;
}
