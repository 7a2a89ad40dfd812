/**
 * `npm run bench:views`: the figures the viewer's API promises (issue 15), measured in one run on the
 * real service (`node dist/src/main.js`, default transport, cache off so every request does the work):
 * - a sorted list page (`sort=-priority,created_at`) at 100,000 tasks against 1,000 tasks (p50 ratio);
 * - export throughput at 100,000 tasks (rows/s, CSV and JSON) and the peak RSS of the service and its
 *   MCP children meanwhile;
 * - from a write made by a separate task-mcp-compatible process on the same files to its event on an
 *   open `GET /api/v1/events` stream (p50, p99).
 * Writes bench/VIEWS-RESULTS.md. BENCH_QUICK=1: small projects and few samples (a smoke run).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { percentile } from './load.js';
import { builtFile, projectRoot, sampleMemory, startServiceProcess } from './procs.js';
import { seedStore } from './seed.js';

const QUICK = process.env.BENCH_QUICK === '1';
const KEY = 'bench-views-key-0123456789';
const SIZES = QUICK ? { small: 200, large: 2_000 } : { small: 1_000, large: 100_000 };
const LIST_SAMPLES = QUICK ? 20 : 200;
const EVENT_SAMPLES = QUICK ? 10 : 100;
/** The service's CHANGE_POLL_MS default. */
const POLL_MS = 500;

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function timedGet(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { 'X-API-Key': KEY } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.toString('utf8').slice(0, 200)}`);
  return { ms: performance.now() - started, bytes: body.length };
}

async function listP50(base: string, projectId: string): Promise<{ p50: number; p99: number }> {
  const url = (page: number) => `${base}/api/v1/tasks?project_id=${projectId}&sort=-priority,created_at&limit=50&offset=${(page % 20) * 50}`;
  for (let i = 0; i < 10; i++) await timedGet(url(i)); // warm-up: connections, SQLite page cache
  const times: number[] = [];
  for (let i = 0; i < LIST_SAMPLES; i++) times.push((await timedGet(url(i))).ms);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Reads an SSE stream and resolves waiters when an event matching theirs arrives. */
function openEvents(url: string) {
  const abort = new AbortController();
  const waiters: Array<{ match: (data: any) => boolean; resolve: (at: number) => void }> = [];
  const ready = fetch(url, { headers: { 'X-API-Key': KEY }, signal: abort.signal }).then((res) => {
    if (res.status !== 200 || !res.body) throw new Error(`events: ${res.status}`);
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
            if (!data) continue;
            const parsed = JSON.parse(data);
            const at = performance.now();
            for (const w of waiters.splice(0)) (w.match(parsed) ? w.resolve(at) : waiters.push(w));
          }
        }
      } catch {
        // aborted at the end
      }
    })();
  });
  return {
    ready,
    next: (match: (data: any) => boolean) => new Promise<number>((resolve) => waiters.push({ match, resolve })),
    close: () => abort.abort(),
  };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-bench-views-'));
  const home = path.join(tmp, 'store');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const seedStarted = performance.now();
    const [small, large] = seedStore(home, path.join(tmp, 'ws'), [
      { name: 'views-small', tasks: SIZES.small },
      { name: 'views-large', tasks: SIZES.large },
    ]);
    log(`seeded ${SIZES.small} + ${SIZES.large} tasks in ${round((performance.now() - seedStarted) / 1000, 1)} s`);
    const service = await startServiceProcess(
      { TASK_MCP_HOME: home, API_KEYS: KEY, CACHE_TTL_MS: '0', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_HOUR: '1000000', ALLOWED_WORKSPACE_ROOTS: tmp },
      tmp,
    );
    const base = service.url;
    try {
      // 1. Sorted list at both sizes.
      const listSmall = await listP50(base, small.projectId);
      const listLarge = await listP50(base, large.projectId);
      log(`sorted list p50: ${round(listSmall.p50)} ms (${SIZES.small}) vs ${round(listLarge.p50)} ms (${SIZES.large})`);

      // 2. Export throughput and memory.
      const exports: Array<{ format: string; seconds: number; rows: number; mb: number; peakMb: number; serviceMb: number; childrenMb: number; beforeMb: number }> = [];
      for (const format of ['csv', 'json'] as const) {
        const before = sampleMemory(service.pid, 100).stop().totalRssPeakMb;
        const memory = sampleMemory(service.pid, 100);
        const got = await timedGet(`${base}/api/v1/tasks/export?project_id=${large.projectId}&format=${format}`);
        const peak = memory.stop();
        const rows = large.liveIds.length;
        exports.push({ format, seconds: got.ms / 1000, rows, mb: got.bytes / 1e6, peakMb: peak.totalRssPeakMb, serviceMb: peak.serviceHwmMb, childrenMb: peak.childrenHwmMb, beforeMb: before });
        log(`export ${format}: ${rows} rows in ${round(got.ms / 1000)} s, peak RSS ${peak.totalRssPeakMb} MB`);
      }

      // 3. A write by another process on the same files, to its event on an open stream.
      const events = openEvents(`${base}/api/v1/events?project_id=${small.projectId}`);
      await events.ready;
      const mcp = new Client({ name: 'bench-external-writer', version: '1.0.0' });
      await mcp.connect(new StdioClientTransport({ command: process.execPath, args: [builtFile('src/taskmcp/stdio-main.js')], env: { ...process.env, TASK_MCP_HOME: home } as Record<string, string> }));
      const latencies: number[] = [];
      try {
        const taskId = small.liveIds[0];
        for (let i = 0; i < EVENT_SAMPLES + 3; i++) {
          const title = `external write ${i}`;
          // At a random point of the watcher's poll interval, as real writes come.
          await new Promise((r) => setTimeout(r, Math.random() * POLL_MS));
          const seen = events.next((e) => e.type === 'task.updated' && e.task_id === taskId);
          const wrote = performance.now();
          const result = await mcp.callTool({ name: 'update_task', arguments: { workspace_path: small.workspacePath, task_id: taskId, title } });
          if (result.isError) throw new Error(`update_task: ${JSON.stringify(result.content)}`);
          const at = await seen;
          if (i >= 3) latencies.push(at - wrote); // the first ones open the watcher's connection
        }
      } finally {
        await mcp.close();
        events.close();
      }
      latencies.sort((a, b) => a - b);
      const ev = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)! };
      log(`external write -> SSE: p50 ${round(ev.p50)} ms, p99 ${round(ev.p99)} ms`);

      const ratio = listLarge.p50 / listSmall.p50;
      const md = [
        '# API views benchmark (issue 15)',
        '',
        `Generated by \`npm run bench:views\`${QUICK ? ' (quick mode)' : ''} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString()}. One run; the service as a child process with the default transport and \`CACHE_TTL_MS=0\` (every request does the work); sequential requests. The machine may have been shared with other jobs: compare ratios, not absolute times.`,
        '',
        '| Row | Result | Target | Met |',
        '|---|---|---|---|',
        `| sorted list (\`sort=-priority,created_at\`, 50 per page) p50 at ${SIZES.large.toLocaleString('en')} / ${SIZES.small.toLocaleString('en')} tasks | ${round(listLarge.p50)} / ${round(listSmall.p50)} ms = ${round(ratio)} (p99 ${round(listLarge.p99)} / ${round(listSmall.p99)} ms) | <= 1.5 | ${ratio <= 1.5 ? 'yes' : 'no'} |`,
        ...exports.map(
          (e) => `| export ${e.format} at ${SIZES.large.toLocaleString('en')} tasks | ${Math.round(e.rows / e.seconds).toLocaleString('en')} rows/s (${e.rows.toLocaleString('en')} rows in ${round(e.seconds)} s); peak RSS service + children ${e.peakMb} MB (${e.beforeMb} MB just before it, so +${round(e.peakMb - e.beforeMb, 1)} MB while ${round(e.mb, 1)} MB were streamed; peaks: service ${e.serviceMb} MB, MCP children ${e.childrenMb} MB) | streamed page by page (no target figure) | measured |`,
        ),
        `| external write (another MCP process on the same files) -> SSE event | p50 ${round(ev.p50)} ms, p99 ${round(ev.p99)} ms, max ${round(ev.max)} ms over ${latencies.length} writes | within 2 s | ${ev.max < 2000 ? 'yes' : 'no'} |`,
        '',
        'The event latency is bounded by `CHANGE_POLL_MS` (500 ms): the watcher polls `PRAGMA data_version` (docs/decisions/0008-change-detection.md).',
        '',
      ].join('\n');
      const out = process.env.BENCH_OUT ?? path.join(projectRoot(), 'bench', 'VIEWS-RESULTS.md');
      writeFileSync(out, md);
      process.stdout.write(`${md}\nwritten to ${out}\n`);
    } finally {
      await service.stop();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
