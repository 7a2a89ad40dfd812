/** `http`: a task-mcp server over Streamable HTTP (MCP_URL), e.g. our `http-main` on another machine. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLIENT_INFO } from './client-info.js';
import type { TransportRecord } from './types.js';

export const http: TransportRecord = {
  description: 'a task-mcp server over Streamable HTTP (MCP_URL)',
  requires: ['MCP_URL'],
  label: (s) => `http:${new URL(s.url!).host}`,
  localStore: false,
  open: (s) => {
    const url = new URL(s.url!);
    return async () => {
      const transport = new StreamableHTTPClientTransport(url, s.authToken ? { requestInit: { headers: { Authorization: `Bearer ${s.authToken}` } } } : undefined);
      const client = new Client(CLIENT_INFO);
      await client.connect(transport, { timeout: s.connectTimeoutMs }).catch((err: unknown) => {
        // Said plainly in the log; API clients only ever see a 503 (no backend details).
        if (err instanceof StreamableHTTPError && (err.code === 401 || err.code === 403)) {
          throw new Error(`the MCP server at ${url.host} refused us (HTTP ${err.code}): ${s.authToken ? 'MCP_AUTH_TOKEN does not match its token' : 'it requires MCP_AUTH_TOKEN'}${err.code === 403 ? ', or its MCP_ALLOWED_HOSTS does not include this host name' : ''}`);
        }
        throw err;
      });
      return {
        client,
        close: async () => {
          // close() alone leaves the server-side session behind: end it explicitly first.
          await transport.terminateSession().catch(() => undefined);
          await client.close();
        },
        // A remote server cannot be stopped from here: a call it received may still finish, so the
        // outcome counts as settled only after another full call timeout.
        terminate: async () => {
          await transport.terminateSession().catch(() => undefined);
          await client.close().catch(() => undefined);
          await new Promise((r) => setTimeout(r, s.callTimeoutMs).unref());
        },
      };
    };
  },
  // A server that restarted answers 404 for the old session id before running anything (SDK #1708).
  notDelivered: (err) => err instanceof StreamableHTTPError && err.code === 404,
};
