/** `npm start`: serve the REST API over the configured MCP backend (by default the user's ~/.task-mcp). */
import 'dotenv/config';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { exitOnSignals, startService } from './service-host.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const service = await startService(config, log);
  exitOnSignals(service, log);
  const generated = service.keys.generated;
  if (generated) {
    const how = generated.created ? 'Generated an API key and saved it' : 'Using the API key saved';
    process.stderr.write(
      `\n${how} in ${generated.file} (mode 0600).\nTry it:\n  curl -H 'X-API-Key: ${generated.key}' ${service.url}/api/v1/projects\n\n`,
    );
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`task-viewer-api failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
