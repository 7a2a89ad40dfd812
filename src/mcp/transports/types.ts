/** What every MCP transport provides: a way to open one client session, and how to describe it. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Logger } from 'pino';

export interface OpenedSession {
  client: Client;
  /** Child process id for stdio transports. */
  pid?: number;
  /** Graceful end (shutdown, recycling a healthy session). */
  close(): Promise<void>;
  /**
   * Stops the session for good, now, and resolves once nothing it was doing can still take effect (a
   * killed child cannot commit later). Used for sessions that timed out or broke mid-call.
   */
  terminate(): Promise<void>;
}

export type SessionFactory = () => Promise<OpenedSession>;

/** The settings transports draw on (from config); each transport uses the ones it `requires`. */
export interface TransportSettings {
  /** Where the embedded / in-process server keeps its databases. */
  taskMcpHome: string;
  command?: string;
  args?: string[];
  url?: string;
  /** Handshake timeout for a new session. */
  connectTimeoutMs: number;
  /** The per-call timeout (a remote call's outcome is settled only after it). */
  callTimeoutMs: number;
  /** The embedded server offers only task-mcp's own tools (TASK_MCP_STRICT). */
  strict?: boolean;
  /** Bearer token for a remote Streamable HTTP server (MCP_AUTH_TOKEN). */
  authToken?: string;
}

export interface TransportRecord {
  /** One line for the README and `--help`. */
  description: string;
  /** Settings that must be set when this transport is chosen (config refuses to start otherwise). */
  requires: ReadonlyArray<'MCP_COMMAND' | 'MCP_URL'>;
  /** Short label for logs, metrics, health and the circuit breaker, e.g. `embedded`, `http:host:8765`. */
  label(settings: TransportSettings): string;
  /** The task-mcp store is a local directory (TASK_MCP_HOME) this process can check and watch. */
  localStore: boolean;
  open(settings: TransportSettings, log: Logger): SessionFactory;
  /** Transport-specific failures the server provably never acted on (so even a write may be resent). */
  notDelivered?(err: unknown): boolean;
}
