/**
 * The `worker` transport: the embedded server in a `node:worker_threads` thread, one Server and one set of
 * SQLite connections per worker, reached through a MessagePort (message-port-transport.ts). SQLite then
 * runs off the caller's event loop like a stdio child, without a second process.
 *
 * Limits: `worker.terminate()` does not interrupt a running better-sqlite3 statement (the thread stops
 * once the statement returns), and a native crash in the thread takes the whole process down.
 */
import { MessageChannel, Worker, type ResourceLimits } from 'node:worker_threads';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { workerEntryPath } from './entry.js';
import { MessagePortTransport } from './message-port-transport.js';
import type { Synchronous } from './store.js';
import type { WorkerData } from './worker-main.js';

export interface TaskMcpWorkerOptions {
  /** Storage root (master.db and databases/). */
  home: string;
  /** Only task-mcp's 22 tools. */
  strict?: boolean;
  resourceLimits?: ResourceLimits;
  synchronous?: Synchronous;
  maxProjectConnections?: number;
  /** How long terminate() waits for the worker to close its databases before it is stopped (default 2000 ms). */
  gracefulMs?: number;
}

export interface TaskMcpWorker {
  /** The client side, for `new Client(...).connect(transport)`. */
  transport: Transport;
  threadId: number;
  /** Close the session and end the thread (forcibly after gracefulMs). */
  terminate(): Promise<void>;
}

export function startTaskMcpWorker(options: TaskMcpWorkerOptions): TaskMcpWorker {
  const { port1, port2 } = new MessageChannel();
  const data: WorkerData = {
    port: port2,
    store: { home: options.home, synchronous: options.synchronous, maxProjectConnections: options.maxProjectConnections },
    strict: options.strict ?? false,
  };
  const worker = new Worker(workerEntryPath(), { workerData: data, transferList: [port2], resourceLimits: options.resourceLimits });
  const transport = new MessagePortTransport(port1);
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  worker.on('error', (err) => transport.fail(err));
  void exit.then(() => transport.fail(new Error('task-mcp worker exited')));

  return {
    transport,
    threadId: worker.threadId,
    async terminate() {
      await transport.close();
      if (exited) return;
      const graceful = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), options.gracefulMs ?? 2000).unref())]);
      if (!graceful) await worker.terminate();
    },
  };
}
