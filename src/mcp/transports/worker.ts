/**
 * `worker`: the embedded server in a worker thread of this process (one thread per session, over a
 * MessagePort). SQLite stays off the API's event loop like with stdio children, at about half their
 * memory; but a native crash takes the whole process down, and a running SQLite statement cannot be
 * interrupted (docs/decisions/0009-default-transport.md).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CLIENT_INFO } from './client-info.js';
import type { TransportRecord } from './types.js';

export const worker: TransportRecord = {
  description: 'the embedded server in worker threads of the API process (less memory; not crash-isolated)',
  requires: [],
  label: () => 'worker',
  localStore: true,
  open: (s) => async () => {
    const { startTaskMcpWorker } = await import('../../taskmcp/worker.js');
    const thread = startTaskMcpWorker({ home: s.taskMcpHome, strict: s.strict });
    const client = new Client(CLIENT_INFO);
    try {
      await client.connect(thread.transport, { timeout: s.connectTimeoutMs });
    } catch (err) {
      await thread.terminate();
      throw err;
    }
    const end = async () => {
      await client.close().catch(() => undefined);
      await thread.terminate();
    };
    // terminate() resolves only once the thread has stopped: after that nothing it ran can commit.
    return { client, close: end, terminate: end };
  },
};
