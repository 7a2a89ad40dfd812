/**
 * Entry point: load configuration, open the MCP session pool, serve the REST API, and shut down
 * cleanly on SIGTERM/SIGINT (stop accepting, finish in-flight requests, close every MCP session).
 */
import 'dotenv/config';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { setUpApiKeys } from './http/api-keys.js';
import { createLogger } from './logger.js';
import { createRuntime } from './runtime.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const keys = setUpApiKeys(config.API_KEYS, config.API_KEY_HASHES, config.API_KEY_FILE);
  const runtime = createRuntime(config, log);
  await runtime.start();

  const app = createApp({
    service: runtime.service,
    pool: runtime.pool,
    transport: config.MCP_TRANSPORT,
    verifier: keys.verifier,
    log,
    validateResponses: config.VALIDATE_RESPONSES,
  });
  const server: Server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const base = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  log.info({ url: base, transport: config.MCP_TRANSPORT, pool_size: config.MCP_POOL_SIZE, store: config.TASK_MCP_HOME }, 'task-viewer-api listening');

  if (keys.generated) {
    const how = keys.generated.created ? 'Generated an API key and saved it' : 'Using the API key saved';
    process.stderr.write(
      `\n${how} in ${keys.generated.file} (mode 0600).\n` +
        `Try it:\n  curl -H 'X-API-Key: ${keys.generated.key}' ${base}/api/v1/projects\n\n`,
    );
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.warn('shutdown deadline reached; closing remaining connections');
      server.closeAllConnections();
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.close(() => {
      runtime
        .close()
        .catch((err: unknown) => log.error({ err }, 'error closing MCP sessions'))
        .finally(() => {
          clearTimeout(deadline);
          log.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`task-viewer-api failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
