/**
 * The embedded server inside a worker thread (started by worker.ts): its own Server, its own SQLite
 * connections, spoken to over the MessagePort it received. When the port closes, it closes its store
 * and the thread ends by itself.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { MessagePortTransport } from './message-port-transport.js';
import { createTaskMcpServer } from './server.js';
import { openStore, type StoreOptions } from './store.js';

export interface WorkerData {
  port: MessagePort;
  store: StoreOptions;
  strict: boolean;
}

const data = workerData as WorkerData;
const store = openStore(data.store);
const server = createTaskMcpServer({ store, strict: data.strict });
server.onclose = () => store.close();
server.connect(new MessagePortTransport(data.port)).catch((err: Error) => {
  process.stderr.write(`task-mcp worker: failed to start: ${err.stack ?? err.message}\n`);
  store.close();
  data.port.close();
});
