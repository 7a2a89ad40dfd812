/**
 * Starts the whole service (session pool + HTTP listener) and stops it gracefully. Shared by
 * `npm start` (src/main.ts) and `npm run demo` (scripts/demo.ts).
 */
import { type Server, createServer } from 'node:http';
import type { Logger } from 'pino';
import { createConfiguredApp } from './app.js';
import type { Config } from './config.js';
import { type KeySetup, setUpApiKeys } from './http/api-keys.js';
import { type Runtime, createRuntime } from './runtime.js';

export interface RunningService {
  url: string;
  keys: KeySetup;
  runtime: Runtime;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (up to the deadline), then closes every MCP session. */
  stop(deadlineMs?: number): Promise<void>;
}

export async function startService(config: Config, log: Logger): Promise<RunningService> {
  const keys = setUpApiKeys(config.API_KEYS, config.API_KEY_HASHES, config.API_KEY_FILE, config.keyScopes);
  const runtime = createRuntime(config, log);
  await runtime.start();

  const app = createConfiguredApp(config, runtime, keys.verifier, log);
  const server = app.listen(config.PORT, config.HOST);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  log.info({ url, transport: config.MCP_TRANSPORT, pool_size: config.MCP_POOL_SIZE, store: config.TASK_MCP_HOME }, 'task-viewer-api listening');

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
    (stopping ??= new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        log.warn('shutdown deadline reached; closing remaining connections');
        server.closeAllConnections();
      }, deadlineMs);
      deadline.unref();
      metricsServer?.close();
      server.close(() => {
        clearTimeout(deadline);
        runtime
          .close()
          .catch((err: unknown) => log.error({ err }, 'error closing MCP sessions'))
          .finally(resolve);
      });
      server.closeIdleConnections();
    }));

  return { url, keys, runtime, server, stop };
}

/** SIGTERM/SIGINT -> graceful stop -> exit 0. */
export function exitOnSignals(service: RunningService, log: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    void service.stop().then(() => {
      log.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
