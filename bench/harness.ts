/**
 * What every bench scenario shares: the temporary seeded store, starting and stopping the service and
 * the bare baseline as child processes (all stopped at the end, even after a failure), and measuring
 * one case into a row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchProjects, Case } from './cases.js';
import { API_KEY, type RawAnswer, runLoad } from './load.js';
import { type Child, startBareProcess, startServiceProcess } from './procs.js';
import { type SeededProject, seedStore } from './seed.js';
import type { LoadRow, ResolvedOptions } from './types.js';

export class BenchHarness {
  readonly tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-bench-'));
  readonly home = path.join(this.tmp, 'store');
  readonly rows: LoadRow[] = [];
  projects!: BenchProjects;
  seedSeconds = 0;
  private readonly children: Child[] = [];

  constructor(
    readonly opts: ResolvedOptions,
    readonly say: (line: string) => void,
  ) {}

  seed(): void {
    const { small, medium, large } = this.opts.sizes;
    this.say(`seeding ${small} / ${medium} / ${large} tasks`);
    const started = performance.now();
    const [s, m, l, w] = seedStore(this.home, path.join(this.tmp, 'workspaces'), [
      { name: 'proj-small', tasks: small },
      { name: 'proj-medium', tasks: medium },
      { name: 'proj-large', tasks: large },
      { name: 'proj-writes', tasks: 100 },
    ]) as [SeededProject, SeededProject, SeededProject, SeededProject];
    this.projects = { small: s, medium: m, large: l, writes: w };
    this.seedSeconds = (performance.now() - started) / 1000;
    this.say(`  seeded in ${this.seedSeconds.toFixed(1)} s`);
  }

  /**
   * The real service with the default configuration except: this store and key, the medium project as
   * default, rate limits out of the way (the load comes from one address), and `env`.
   */
  async startService(env: Record<string, string>): Promise<Child> {
    const child = await startServiceProcess(
      {
        TASK_MCP_HOME: this.home,
        API_KEYS: API_KEY,
        API_KEY_FILE: path.join(this.tmp, 'api-key'),
        DEFAULT_PROJECT_ID: this.projects.medium.projectId,
        RATE_LIMIT_PER_MINUTE: '1000000000',
        RATE_LIMIT_PER_HOUR: '1000000000',
        ...env,
      },
      this.tmp,
    );
    this.children.push(child);
    return child;
  }

  /** The bare Express baseline replaying `answers` (keyed `<METHOD> <url>`). */
  async startBare(answers: Record<string, RawAnswer>): Promise<Child> {
    const file = path.join(this.tmp, 'bare-routes.json');
    const routes = Object.fromEntries(
      Object.entries(answers).map(([key, a]) => [key, { status: a.status, contentType: a.headers['content-type'] ?? '', etag: a.headers.etag, body: a.body.toString('base64') }]),
    );
    writeFileSync(file, JSON.stringify(routes));
    const child = await startBareProcess(file);
    this.children.push(child);
    return child;
  }

  async stop(child: Child): Promise<void> {
    await child.stop();
    this.children.splice(this.children.indexOf(child), 1);
  }

  /** Runs one case against `base` and keeps the row. */
  async measure(key: string, config: string, base: string, c: Case): Promise<LoadRow> {
    const o = this.opts;
    const connections = c.many ? o.manyConnections : o.connections;
    this.say(`  ${key}`);
    const m = await runLoad({ ...c.request, url: base + c.request.url, connections, durationSec: o.durationSec, warmupSec: o.warmupSec, amount: o.amount || undefined });
    const row: LoadRow = { key, label: c.label, config, connections, ...m, failed: m.unexpected > 0 || m.errors > 0 || m.requests === 0 };
    this.rows.push(row);
    this.say(
      `    ${row.reqPerSec.toFixed(0)} req/s  p50 ${row.p50.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms (warm ${row.p99Warm.toFixed(2)})  unexpected ${row.unexpected}  errors ${row.errors}`,
    );
    return row;
  }

  async close(): Promise<void> {
    for (const c of [...this.children]) await c.stop().catch(() => undefined);
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
