/**
 * `npm run demo`: the real service on a temporary store seeded with a realistic project, with a
 * fresh API key and ready-to-paste curl lines. The store is deleted on exit.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { StartupError, exitOnSignals, startService } from '../src/service-host.js';
import { projectIdFor } from '../src/taskmcp/index.js';
import { seedDemoProject } from './demo-data.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'task-viewer-demo-'));
const workspace = path.join(tmp, 'workspaces', 'acme-web');
const key = `demo_${randomBytes(18).toString('base64url')}`;

const config = loadConfig({
  ...process.env,
  TASK_MCP_HOME: path.join(tmp, 'task-mcp'),
  API_KEYS: key,
  DEFAULT_PROJECT_ID: projectIdFor(workspace),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const log = createLogger(config.LOG_LEVEL);
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const service = await startService(config, log).catch((err: unknown) => {
  process.stderr.write(`task-viewer-api demo: ${err instanceof StartupError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
exitOnSignals(service, log);
const seeded = await seedDemoProject((tool, args) => service.runtime.gateway.call(tool, args, { write: true }), workspace);
await service.runtime.services.resolver.refresh();

const curl = (p: string) => `  curl -s -H 'X-API-Key: ${key}' '${service.url}${p}'`;
process.stdout.write(
  [
    '',
    `task-viewer-api demo at ${service.url}  (store: ${tmp}, deleted on exit)`,
    `Seeded "Acme web app (demo)": ${seeded.tasks} tasks, ${seeded.entities} entities.`,
    `API key: ${key}`,
    `Viewer: ${service.url}/  (paste the key above)`,
    '',
    'Try:',
    `  curl -s ${service.url}/health`,
    curl('/api/v1/projects'),
    curl('/api/v1/tasks?limit=5'),
    curl('/api/v1/tasks?status=blocked'),
    curl('/api/v1/tasks/next'),
    curl('/api/v1/tasks/search?q=login'),
    curl('/api/v1/tasks/1/tree'),
    curl('/api/v1/tags'),
    curl('/api/v1/entities'),
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);
