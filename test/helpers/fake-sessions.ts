/**
 * A fake MCP session factory for unit tests of the pool and the gateway: each session's client
 * answers `tools/call` with whatever the test's `answer` function says, and can be made to die.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OpenedSession, SessionFactory } from '../../src/mcp/transports/index.js';

export interface FakeSession extends OpenedSession {
  id: number;
  closed: boolean;
  /** Simulates the child exiting: the client's onclose fires. */
  die(): void;
}

export interface FakeFactory {
  factory: SessionFactory;
  opened: FakeSession[];
  /** Make the next N opens fail. */
  failNext(n: number): void;
}

type Answer = (session: FakeSession, request: { method: string; params?: { name?: string; arguments?: Record<string, unknown> } }) => unknown;

export function fakeSessions(answer: Answer = () => ({ content: [], structuredContent: { ok: true } }), tools: string[] = []): FakeFactory {
  const opened: FakeSession[] = [];
  let failures = 0;
  const factory: SessionFactory = async () => {
    if (failures > 0) {
      failures--;
      throw new Error('spawn failed');
    }
    const session = {
      id: opened.length + 1,
      pid: 1000 + opened.length,
      closed: false,
    } as FakeSession;
    const client = {
      onclose: undefined as (() => void) | undefined,
      onerror: undefined as ((err: Error) => void) | undefined,
      request: async (request: Parameters<Answer>[1]) => answer(session, request),
      listTools: async () => ({ tools: tools.map((name) => ({ name, inputSchema: { type: 'object' } })) }),
      ping: async () => {
        if (session.closed) throw new Error('closed');
        return {};
      },
      close: async () => {
        session.closed = true;
      },
    };
    session.client = client as unknown as Client;
    session.close = async () => {
      session.closed = true;
    };
    session.terminate = session.close;
    session.die = () => {
      session.closed = true;
      client.onclose?.();
    };
    opened.push(session);
    return session;
  };
  return { factory, opened, failNext: (n) => (failures = n) };
}
