/**
 * Starts the whole service (session pool + HTTP listener) and stops it gracefully. Shared by
 * `npm start` (src/main.ts), `npm run demo` (scripts/demo.ts) and each cluster worker (src/cluster.ts).
 *
 * Stopping: stop accepting connections, let running requests finish (new ones on kept-alive sockets
 * get 503 + Connection: close), end event streams, then close every MCP session; a deadline bounds it.
 */
import { type Server, createServer } from 'node:http';
import type { Logger } from 'pino';
import { createConfiguredApp } from './app.js';
import type { Config } from './config.js';
import { type KeySetup, setUpApiKeys } from './http/api-keys.js';
import { Drain } from './http/drain.js';
import { TRANSPORTS } from './mcp/transports/index.js';
import { type Runtime, createRuntime } from './runtime.js';
import { checkStore } from './store-check.js';

export interface RunningService {
  url: string;
  keys: KeySetup;
  runtime: Runtime;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (up to the deadline), then closes every MCP session. */
  stop(deadlineMs?: number): Promise<void>;
}

/** A start-up problem the operator can fix, reported as one clear line (no stack). */
export class StartupError extends Error {}

export async function startService(config: Config, log: Logger): Promise<RunningService> {
  if (TRANSPORTS[config.MCP_TRANSPORT].localStore) {
    const store = checkStore(config.TASK_MCP_HOME);
    if (!store.writable) throw new StartupError(store.problem!);
  }
  if (config.trustProxy === true) {
    log.warn('TRUST_PROXY=true trusts every X-Forwarded-For hop: any client can choose its address (and its rate-limit bucket); prefer a hop count or your proxies\' addresses');
  }
  const keys = setUpApiKeys(config.API_KEYS, config.API_KEY_HASHES, config.API_KEY_FILE, config.keyScopes);
  const runtime = createRuntime(config, log);
  await runtime.start();
  if (runtime.pool.stats().live === 0) {
    await runtime.close();
    throw new StartupError(`could not open any MCP session with MCP_TRANSPORT=${config.MCP_TRANSPORT}${config.MCP_COMMAND ? ` (MCP_COMMAND=${config.MCP_COMMAND})` : ''}${config.MCP_URL ? ` (MCP_URL=${config.MCP_URL})` : ''}: see the log above`);
  }

  const drain = new Drain();
  const service = createConfiguredApp(config, runtime, keys.verifier, log, { drain });
  const server = createServer(service.handle).listen(config.PORT, config.HOST);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    await runtime.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new StartupError(`port ${config.PORT} on ${config.HOST} is in use: set PORT to a free port (e.g. PORT=8002)`);
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw new StartupError(`no permission to listen on ${config.HOST}:${config.PORT}: set PORT above 1023`);
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  log.info({ url, transport: config.MCP_TRANSPORT, pool_size: config.MCP_POOL_SIZE, store: config.TASK_MCP_HOME, pid: process.pid }, 'task-viewer-api listening');

  // Metrics on their own port (no key), for scrapers inside a private network.
  let metricsServer: Server | undefined;
  if (config.METRICS_PORT !== undefined) {
    metricsServer = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      runtime.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': runtime.metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    }).listen(config.METRICS_PORT, config.HOST);
  }

  let stopping: Promise<void> | undefined;
  const stop = (deadlineMs = 10_000): Promise<void> =>
    (stopping ??= (async () => {
      const deadline = setTimeout(() => {
        log.warn({ in_flight: drain.inFlight }, 'shutdown deadline reached; closing remaining connections');
        server.closeAllConnections();
      }, deadlineMs);
      deadline.unref();
      metricsServer?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Streams never finish by themselves: end them first, so clients reconnect elsewhere.
      runtime.events.closeAll('the service is shutting down');
      await drain.begin();
      server.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000).unref())]);
      server.closeAllConnections();
      clearTimeout(deadline);
      await runtime.close().catch((err: unknown) => log.error({ err }, 'error closing MCP sessions'));
      await service.close();
    })());

  return { url, keys, runtime, server, stop };
}

/**
 * SIGTERM/SIGINT -> graceful stop -> exit 0. Started by an npm script, the service also stops when npm
 * itself is gone (its parent becomes init), so it never outlives the command that started it.
 */
export function exitOnSignals(service: RunningService, log: Logger): void {
  const shutdown = (why: object) => {
    log.info(why, 'shutting down');
    void service.stop().then(() => {
      log.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown({ signal: 'SIGTERM' }));
  process.once('SIGINT', () => shutdown({ signal: 'SIGINT' }));
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(watch);
        shutdown({ reason: 'the npm process that started the service is gone' });
      }
    }, 1_000);
    watch.unref();
  }
}
