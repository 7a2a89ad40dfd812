/** Helpers for the measurement scripts: stdio sessions of a given build, timing, RSS, result tables. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { ROOT } from '../../helpers/taskmcp-harness.js';

export const CURRENT_DIST = path.join(ROOT, 'dist');
/** An older build to compare with (before/after rows), when given. */
export const BASELINE_DIST = process.env.TASKMCP_BASELINE_DIST;

export interface Build {
  label: string;
  dist: string;
}

export function builds(): Build[] {
  return [...(BASELINE_DIST ? [{ label: 'before', dist: BASELINE_DIST }] : []), { label: 'after', dist: CURRENT_DIST }];
}

export interface StdioSession {
  client: Client;
  pid: number;
  call(tool: string, args: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

/** The stdio server of `dist` on `home`; call() decodes the text block and throws on tool errors. */
export async function stdioSession(dist: string, home: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...nodeArgs, path.join(dist, 'src/taskmcp/stdio-main.js')],
    env: { ...(process.env as Record<string, string>), TASK_MCP_HOME: home, ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'taskmcp-perf', version: '0' });
  await client.connect(transport);
  return {
    client,
    pid: transport.pid!,
    async call(tool, args) {
      const r = await client.request({ method: 'tools/call', params: { name: tool, arguments: args } }, CallToolResultSchema, { timeout: 600_000 });
      const text = r.content[0]?.type === 'text' ? r.content[0].text : '[]';
      if (r.isError) throw new Error(`${tool}: ${text}`);
      return JSON.parse(text);
    },
    close: () => client.close(),
  };
}

export interface Timing {
  p50: number;
  p90: number;
  mean: number;
  n: number;
}

export async function time(n: number, fn: (i: number) => Promise<unknown>, warmup = 2): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  return { p50: runs[Math.floor(n / 2)], p90: runs[Math.min(n - 1, Math.floor(n * 0.9))], mean: runs.reduce((a, b) => a + b, 0) / n, n };
}

export const ms = (t: Timing) => `p50 ${t.p50.toFixed(2)} ms, p90 ${t.p90.toFixed(2)} ms (n=${t.n})`;

/** Resident set size of a process, MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function table(title: string, rows: Array<Record<string, string | number>>): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  const lines = [`### ${title}`, `| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`)];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}
