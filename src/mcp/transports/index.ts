/**
 * Every way to reach a task-mcp server, one record each (src/mcp/transports/<kind>.ts). Config derives
 * its `MCP_TRANSPORT` choices and required settings from this table; adding a transport means a new
 * record file, one line here, and its README row.
 */
import type { Logger } from 'pino';
import { embedded } from './embedded.js';
import { http } from './http.js';
import { inprocess } from './inprocess.js';
import { stdio } from './stdio.js';
import { worker } from './worker.js';
import type { SessionFactory, TransportRecord, TransportSettings } from './types.js';

export type { OpenedSession, SessionFactory, TransportRecord, TransportSettings } from './types.js';

export const TRANSPORTS = { embedded, worker, stdio, http, inprocess } as const satisfies Record<string, TransportRecord>;

export type TransportKind = keyof typeof TRANSPORTS;
export const TRANSPORT_KINDS = Object.keys(TRANSPORTS) as [TransportKind, ...TransportKind[]];

export function createSessionFactory(kind: TransportKind, settings: TransportSettings, log: Logger): SessionFactory {
  return TRANSPORTS[kind].open(settings, log);
}
