/**
 * An MCP Transport over a worker_threads MessagePort: each JSON-RPC message travels as one JSON string
 * (V8's JSON is faster than the structured clone of a deep object, and a string copies in one piece).
 * Closing either end closes both; the peer's `onclose` fires.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export class MessagePortTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;

  constructor(private readonly port: MessagePort) {}

  async start(): Promise<void> {
    this.port.on('message', (data: unknown) => {
      let message: JSONRPCMessage;
      try {
        message = JSON.parse(String(data)) as JSONRPCMessage;
      } catch (err) {
        this.onerror?.(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      this.onmessage?.(message);
    });
    this.port.once('close', () => this.finish());
    this.port.start();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('MessagePortTransport is closed');
    this.port.postMessage(JSON.stringify(message));
  }

  async close(): Promise<void> {
    this.port.close();
    this.finish();
  }

  /** The other side went away without closing (its thread died). */
  fail(err: Error): void {
    if (this.closed) return;
    this.onerror?.(err);
    this.port.close();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
