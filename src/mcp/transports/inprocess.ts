/** `inprocess`: the embedded server in this process over an in-memory transport (fastest, not isolated). */
import type { TransportRecord } from './types.js';

export const inprocess: TransportRecord = {
  description: 'the embedded server inside the API process (fastest; SQLite then runs on the API event loop)',
  requires: [],
  label: () => 'inprocess',
  localStore: true,
  open: (s) => async () => {
    // Imported lazily so the other transports never load SQLite into the API process.
    const { connectInMemory } = await import('../../taskmcp/index.js');
    const { CLIENT_INFO } = await import('./client-info.js');
    const connection = await connectInMemory({ home: s.taskMcpHome, strict: s.strict }, CLIENT_INFO);
    // In this process a call cannot outlive the session: what has not committed when it ends never will.
    return { client: connection.client, close: connection.close, terminate: connection.close };
  },
};
