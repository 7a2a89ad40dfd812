/**
 * Configuration from the environment (and an optional .env file), validated once at start with
 * messages that name the variable. Every variable is listed in .env.example and the README.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { KeyScope } from './http/api-keys.js';
import { TRANSPORTS, TRANSPORT_KINDS } from './mcp/transports/index.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

const variables = z.object({
  PORT: int(0, 65535).default(8001),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),

  MCP_TRANSPORT: z.enum(TRANSPORT_KINDS).default('embedded'),
  MCP_POOL_SIZE: int(1, 64).default(Math.max(1, os.availableParallelism())),
  MCP_COMMAND: z.string().min(1).optional(),
  MCP_ARGS: z.string().optional(),
  MCP_URL: z.url().optional(),
  MCP_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  MCP_CALL_TIMEOUT_MS: int(100).default(10_000),
  MCP_CONNECT_TIMEOUT_MS: int(100).default(15_000),
  MCP_ACQUIRE_TIMEOUT_MS: int(10).default(5_000),
  MCP_MAX_WAITING: int(0).default(1_000),
  MCP_MAX_WAITING_PER_KEY: int(1).default(100),
  MCP_PING_INTERVAL_MS: int(0).default(30_000),
  BREAKER_ERROR_THRESHOLD_PERCENTAGE: int(1, 100).default(50),
  BREAKER_VOLUME_THRESHOLD: int(1).default(10),
  BREAKER_RESET_TIMEOUT_MS: int(100).default(10_000),
  BREAKER_ROLLING_WINDOW_MS: int(100).default(10_000),
  REQUEST_TIMEOUT_MS: int(100).default(15_000),
  TASK_MCP_HOME: z.string().min(1).default(path.join(os.homedir(), '.task-mcp')),

  DEFAULT_PROJECT_ID: z.string().regex(/^[0-9a-f]{8}$/, 'must be an 8-hex-digit project id').optional(),
  DEFAULT_WORKSPACE_PATH: z.string().refine((p) => path.isAbsolute(p), 'must be an absolute path').optional(),
  // A local single-user start may register projects anywhere in the user's home (README).
  ALLOWED_WORKSPACE_ROOTS: list.default([os.homedir()]),

  API_KEYS: list.default([]),
  API_KEY_HASHES: list
    .pipe(z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'each entry must be a sha256 hex digest')))
    .default([]),
  API_KEY_FILE: z.string().min(1).default(path.join(os.homedir(), '.config', 'task-viewer-api', 'api-key')),
  API_KEY_SCOPES: z.string().optional(),

  CACHE_TTL_MS: int(0).default(5_000),
  CHANGE_POLL_MS: int(0).default(500),
  CACHE_MAX_ENTRIES: int(1).default(5_000),
  RESPONSE_CACHE_MB: int(0).default(32),
  IDEMPOTENCY_TTL_MS: int(1_000).default(24 * 60 * 60 * 1000),
  IDEMPOTENCY_MAX_KEYS: int(1).default(100_000),
  IDEMPOTENCY_MAX_MB: int(1).default(64),

  CORS_ORIGINS: list.default([]),
  RATE_LIMIT_PER_MINUTE: int(1).default(100),
  RATE_LIMIT_PER_HOUR: int(1).default(1000),
  TRUST_PROXY: z.string().default('false'),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 256kb').default('256kb'),
  METRICS_PORT: int(0, 65535).optional(),

  VALIDATE_RESPONSES: bool.default(false),

  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default('tva:'),
  REDIS_COMMAND_TIMEOUT_MS: int(50).default(1_000),
  WEB_CONCURRENCY: int(1, 64).default(1),
});

const schema = variables.superRefine((env, ctx) => {
  for (const setting of TRANSPORTS[env.MCP_TRANSPORT].requires) {
    if (!env[setting]) ctx.addIssue({ code: 'custom', path: [setting], message: `is required when MCP_TRANSPORT=${env.MCP_TRANSPORT}` });
  }
  for (const root of env.ALLOWED_WORKSPACE_ROOTS) {
    if (!path.isAbsolute(root)) ctx.addIssue({ code: 'custom', path: ['ALLOWED_WORKSPACE_ROOTS'], message: `${root} is not absolute` });
  }
});

/** Every variable the service reads (documented in README.md and .env.example; a test checks). */
export const CONFIG_VARIABLES = Object.keys(variables.shape);

export type Config = z.infer<typeof schema> & { mcpArgs: string[]; trustProxy: boolean | number | string; keyScopes: Record<string, KeyScope> };

const scopeSchema = z.record(
  z.string().regex(/^key_[0-9a-f]{12}$/, 'keys are named by their id, key_ + 12 hex digits (see GET /api/v1/me)'),
  z.object({
    access: z.enum(['read', 'read_write']).default('read_write'),
    projects: z.array(z.string().regex(/^[0-9a-f]{8}$/, 'must be an 8-hex-digit project id')).min(1).nullable().default(null),
  }).strict(),
);

/** `API_KEY_SCOPES`: JSON `{"key_<12 hex>": {"access": "read", "projects": ["3f05a4b1"]}}`. */
function parseScopes(raw: string | undefined): Record<string, KeyScope> {
  if (!raw?.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  API_KEY_SCOPES: not valid JSON (${(err as Error).message})`);
  }
  const result = scopeSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(`Invalid configuration:\n${result.error.issues.map((i) => `  API_KEY_SCOPES.${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return result.data;
}

export class ConfigError extends Error {}

/** `MCP_ARGS` is a JSON array (`["-m","task_mcp"]`) or, for simple cases, space-separated words. */
function parseArgs(raw: string | undefined): string[] {
  if (!raw?.trim()) return [];
  if (raw.trim().startsWith('[')) {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new ConfigError('MCP_ARGS: must be a JSON array of strings');
    return parsed;
  }
  return raw.trim().split(/\s+/);
}

/** Express's `trust proxy`: true/false, a hop count, or addresses/subnets (e.g. `loopback, 10.0.0.0/8`). */
function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  let mcpArgs: string[];
  try {
    mcpArgs = parseArgs(result.data.MCP_ARGS);
  } catch (err) {
    throw err instanceof ConfigError ? err : new ConfigError(`MCP_ARGS: ${(err as Error).message}`);
  }
  return { ...result.data, mcpArgs, trustProxy: parseTrustProxy(result.data.TRUST_PROXY), keyScopes: parseScopes(result.data.API_KEY_SCOPES) };
}
