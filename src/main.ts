/**
 * `npm start`: serve the REST API and the web app over the configured MCP backend (by default the
 * user's ~/.task-mcp). `--help` and `--version` answer without starting anything.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { StartupError, exitOnSignals, startService } from './service-host.js';
import { VERSION } from './version.js';

const HELP = `task-viewer-api ${VERSION}: a REST API and web viewer over task-mcp data.

Usage: npm start            (or: node dist/src/main.js)
       npm start -- --help | --version

Everything is configured with environment variables (or a .env file); the README lists each one
with its default. The most common:
  PORT (8001), HOST (127.0.0.1)          where to listen
  TASK_MCP_HOME (~/.task-mcp)            the task-mcp store to serve
  MCP_TRANSPORT (embedded)               embedded | worker | stdio | http | inprocess
  API_KEYS                               comma-separated keys (else one is generated and saved)
  ALLOWED_WORKSPACE_ROOTS (your home)    where new projects may be registered
  REDIS_URL, WEB_CONCURRENCY             several instances / worker processes sharing state
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) return void process.stdout.write(HELP);
  if (args.includes('--version') || args.includes('-v')) return void process.stdout.write(`${VERSION}\n`);
  if (args.length) throw new ConfigError(`Unknown argument(s): ${args.join(' ')} (see --help; settings are environment variables)`);

  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, config.LOG_FORMAT);
  const service = await startService(config, log);
  exitOnSignals(service, log);
  const generated = service.keys.generated;
  if (generated) {
    const how = generated.created ? 'Generated an API key and saved it' : 'Using the API key saved';
    process.stderr.write(
      `\n${how} in ${generated.file} (mode 0600).\n` +
        `Open the viewer at ${service.url}/ and paste the key there, or try:\n` +
        `  curl -H 'X-API-Key: ${generated.key}' ${service.url}/api/v1/projects\n\n`,
    );
  } else {
    process.stderr.write(`\nListening on ${service.url}/ (viewer) and ${service.url}/api/docs (API docs).\n\n`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StartupError) process.stderr.write(`task-viewer-api: ${err.message}\n`);
  else process.stderr.write(`task-viewer-api failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
