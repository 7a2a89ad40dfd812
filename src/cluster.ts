/**
 * Cluster mode (WEB_CONCURRENCY > 1): the primary forks N workers with node:cluster; they share the
 * listening port (the primary hands out connections round robin) and each runs the whole service
 * (src/service-host.ts) with its own MCP session pool. State that must be shared (cache generations,
 * Idempotency-Keys, rate limits, events tokens) lives in Redis, so REDIS_URL is required.
 *
 * The primary serves nothing itself. It:
 * - restarts a worker that dies unexpectedly, with a backoff that grows while workers keep dying
 *   soon after starting (and resets once one has run for a while);
 * - gives up (exit 1) when a worker fails before it ever listened: a start-up error (port in use,
 *   bad store) would only repeat;
 * - forwards SIGTERM/SIGINT to every worker, waits for them all to exit (each closes its own MCP
 *   children), then exits 0. A worker still running after the deadline is killed.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { StartupError } from './service-host.js';

/** Why cluster mode cannot start with this configuration, or undefined when it can. */
export function clusterProblem(config: Pick<Config, 'WEB_CONCURRENCY' | 'REDIS_URL'>): string | undefined {
  if (config.WEB_CONCURRENCY > 1 && !config.REDIS_URL) {
    return `WEB_CONCURRENCY=${config.WEB_CONCURRENCY} needs REDIS_URL: workers cannot share in-memory caches, Idempotency-Keys and rate limits (set REDIS_URL, or WEB_CONCURRENCY=1)`;
  }
  return undefined;
}

export interface ClusterOptions {
  workers: number;
  /** How long the primary waits for its workers on SIGTERM before killing them. */
  stopDeadlineMs?: number;
  /** A worker that lived at least this long resets the restart backoff. */
  stableAfterMs?: number;
}

const MAX_BACKOFF_MS = 10_000;

export function runPrimary(options: ClusterOptions, log: Logger): void {
  const stopDeadlineMs = options.stopDeadlineMs ?? 15_000;
  const stableAfterMs = options.stableAfterMs ?? 10_000;
  let stopping = false;
  let exitCode = 0;
  let failures = 0;
  const started = new Map<Worker, number>();
  const listened = new Set<Worker>();

  const fork = () => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    worker.once('listening', () => listened.add(worker));
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? Date.now());
    const everListened = listened.has(worker);
    started.delete(worker);
    listened.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info('all workers stopped');
        process.exit(exitCode);
      }
      return;
    }
    if (!everListened) {
      log.error({ worker: worker.id, pid: worker.process.pid, code, signal }, 'a worker failed before it could serve; stopping (see its log above)');
      stopAll(1);
      return;
    }
    failures = lived >= stableAfterMs ? 1 : failures + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** (failures - 1));
    log.warn({ worker: worker.id, pid: worker.process.pid, code, signal, restart_in_ms: delay }, 'worker died; restarting it');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (workers.length === 0) process.exit(exitCode);
    // Each worker stops gracefully on SIGTERM (src/service-host.ts), closing its own MCP children.
    for (const w of workers) w.process.kill('SIGTERM');
    setTimeout(() => {
      log.warn('workers still running at the shutdown deadline; killing them');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, stopDeadlineMs).unref();
  };

  process.once('SIGTERM', () => {
    log.info({ signal: 'SIGTERM' }, 'stopping every worker');
    stopAll(0);
  });
  process.once('SIGINT', () => {
    log.info({ signal: 'SIGINT' }, 'stopping every worker');
    stopAll(0);
  });

  log.info({ workers: options.workers, pid: process.pid }, 'cluster primary starting workers');
  for (let i = 0; i < options.workers; i++) fork();
}

/** Refuses cluster mode without Redis: one clear line, exit code 1 (src/main.ts). */
export function assertClusterPossible(config: Pick<Config, 'WEB_CONCURRENCY' | 'REDIS_URL'>): void {
  const problem = clusterProblem(config);
  if (problem) throw new StartupError(problem);
}
