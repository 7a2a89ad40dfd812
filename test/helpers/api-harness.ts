/**
 * Starts the real service for a test: a temp task-mcp store, the session pool running the built
 * embedded server as stdio children, and the Express app with response validation on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import supertest from 'supertest';
import { type ServiceApp, createConfiguredApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { ApiKeyVerifier } from '../../src/http/api-keys.js';
import { type Runtime, createRuntime } from '../../src/runtime.js';

import { createHash } from 'node:crypto';

export const API_KEY = 'test-key-0123456789';
/** A second key: read-only and limited to a project that does not exist (scope tests). */
export const SCOPED_KEY = 'test-scoped-key-9876543210';
export const SCOPED_KEY_ID = `key_${createHash('sha256').update(SCOPED_KEY).digest('hex').slice(0, 12)}`;
export const SCOPED_PROJECT = '00000000';

export interface Harness {
  home: string;
  tmp: string;
  config: Config;
  runtime: Runtime;
  /** The service's request handler (fast path, then Express), as a Node server runs it. */
  app: ServiceApp['handle'];
  service: ServiceApp;
  /** supertest against the app, with the API key set. */
  get(url: string): supertest.Test;
  request: ReturnType<typeof supertest>;
  /** Calls an MCP tool through the pool (for seeding and checks); seeding may take its time. */
  call(tool: string, args: Record<string, unknown>, timeoutMs?: number): Promise<any>;
  /** Serves the app on a free loopback port (for streaming clients); closed with the harness. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Where the web app's build is served from (default: the real build). */
  webDist?: string;
}

export async function startHarness(env: Record<string, string> = {}, log?: Logger, options: HarnessOptions = {}): Promise<Harness> {
  // TASK_MCP_* settings (the store, strict mode, the test-only delay hook) reach MCP children through
  // the environment they are spawned with.
  const childSettings = Object.keys(env).filter((k) => k.startsWith('TASK_MCP_'));
  for (const key of childSettings) process.env[key] = env[key];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-test-'));
  const home = env.TASK_MCP_HOME ?? path.join(tmp, 'store');
  const config = loadConfig({
    TASK_MCP_HOME: home,
    MCP_POOL_SIZE: '2',
    // The scoped key only when the test keeps the default keys.
    ...(env.API_KEYS === undefined && env.API_KEY_HASHES === undefined
      ? { API_KEYS: `${API_KEY},${SCOPED_KEY}`, API_KEY_SCOPES: JSON.stringify({ [SCOPED_KEY_ID]: { access: 'read', projects: [SCOPED_PROJECT] } }) }
      : { API_KEYS: API_KEY }),
    API_KEY_FILE: path.join(tmp, 'api-key'),
    VALIDATE_RESPONSES: 'true',
    // Tests send bursts; the limiter has its own test with small limits.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_HOUR: '1000000',
    ...env,
  });
  log ??= pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const runtime = createRuntime(config, log);
  await runtime.start();
  const service = createConfiguredApp(config, runtime, new ApiKeyVerifier(config.API_KEYS, config.API_KEY_HASHES, config.keyScopes), log, options);
  const app = service.handle;
  const request = supertest(app);
  let server: Server | undefined;
  return {
    home,
    tmp,
    config,
    runtime,
    app,
    service,
    request,
    get: (url) => request.get(url).set('X-API-Key', API_KEY),
    call: (tool, args, timeoutMs) => runtime.gateway.call(tool, args, { timeoutMs }),
    async listen() {
      server ??= createServer(app).listen(0, '127.0.0.1');
      if (!server.listening) await new Promise((r) => server!.once('listening', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      server?.closeAllConnections();
      server?.close();
      await runtime.close();
      await service.close();
      for (const key of childSettings) delete process.env[key];
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
