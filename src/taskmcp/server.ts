/**
 * The MCP server. It answers tools/list and tools/call itself on the SDK's low-level Server instead of
 * registering tools with McpServer, because McpServer's tools/call validates with zod and words every failure
 * its own way ("MCP error -32602: …", "Input validation error: …"), while task-mcp clients expect FastMCP's
 * texts: "Unknown tool: x", pydantic LAX validation reports, "Error calling tool '<name>': <msg>", and the
 * A/B/C result families (docs/task-mcp-compatibility.md, "Errors" and "Results").
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { encodeResult, errorResult, type Family } from './encoding.js';
import { PydanticError, RawToolError, ToolError } from './errors.js';
import { openStore, type Store, type StoreOptions } from './store.js';
import { newSessionId, type ToolContext, type ToolDef } from './tools/common.js';
import { allTools } from './tools/index.js';
import { inputJsonSchema, validateArguments } from './validation.js';

export const SERVER_NAME = 'Task Tracker';
export const SERVER_VERSION = '0.1.0';

export interface TaskMcpServerOptions extends Partial<Omit<StoreOptions, 'home'>> {
  /** The connections to use (shared by every server of a process). Either this or `home`. */
  store?: Store;
  /** Storage root for a store this server opens and closes itself. */
  home?: string;
  /** created_by/updated_by when the transport has no session id (stdio, in-memory). Default: a random UUID. */
  sessionId?: string;
  /**
   * Offer only the 22 tools of task-mcp, without our extension tools (default false). Clients then see
   * exactly what the Python server offers; the REST service falls back accordingly.
   */
  strict?: boolean;
}

const SCHEMA_URI = 'http://json-schema.org/draft-07/schema#';
const OBJECT_ITEM = { type: 'object', properties: {}, additionalProperties: true };
const OUTPUT_SCHEMAS: Record<Exclude<Family, 'json'>, Tool['outputSchema']> = {
  A: { type: 'object', properties: {}, $schema: SCHEMA_URI, additionalProperties: true },
  B: { type: 'object', properties: { result: { type: 'array', items: OBJECT_ITEM } }, required: ['result'], $schema: SCHEMA_URI, 'x-fastmcp-wrap-result': true },
  C: {
    type: 'object',
    properties: { result: { anyOf: [OBJECT_ITEM, { type: 'array', items: OBJECT_ITEM }] } },
    required: ['result'],
    $schema: SCHEMA_URI,
    'x-fastmcp-wrap-result': true,
  },
};

/** The tools/list entry, key for key what FastMCP (and before it, our McpServer registration) printed. */
function describe(tool: ToolDef): Tool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: inputJsonSchema(tool.params) as Tool['inputSchema'],
    ...(tool.family === 'json' ? {} : { outputSchema: OUTPUT_SCHEMAS[tool.family] }),
    execution: { taskSupport: 'forbidden' },
    _meta: { _fastmcp: { tags: [] } },
  };
}

export async function callTool(tool: ToolDef, rawArgs: Record<string, unknown>, ctx: ToolContext): Promise<CallToolResult> {
  try {
    const args = validateArguments(tool.name, tool.params, rawArgs);
    return encodeResult(tool.family, await tool.run(args, ctx));
  } catch (err) {
    if (err instanceof PydanticError || err instanceof RawToolError) return errorResult(err.message);
    const msg = err instanceof Error ? err.message : String(err);
    if (!(err instanceof ToolError) && !(err as { code?: unknown })?.code) {
      process.stderr.write(`task-mcp: ${tool.name} failed: ${err instanceof Error ? err.stack : msg}\n`);
    }
    return errorResult(`Error calling tool '${tool.name}': ${msg}`);
  }
}

/** A Server that also closes the store it opened itself. */
class TaskMcpServer extends Server {
  constructor(private readonly ownedStore: Store | undefined) {
    super({ name: SERVER_NAME, version: SERVER_VERSION }, { capabilities: { tools: { listChanged: true } } });
  }

  override async close(): Promise<void> {
    await super.close();
    this.ownedStore?.close();
  }
}

export function createTaskMcpServer(options: TaskMcpServerOptions): Server {
  if (!options.store && !options.home) throw new Error('createTaskMcpServer needs a store or a home directory');
  const owned = options.store ? undefined : openStore({ home: options.home!, maxProjectConnections: options.maxProjectConnections, synchronous: options.synchronous });
  const store = options.store ?? owned!;
  const fallbackSession = options.sessionId ?? newSessionId();
  const tools = new Map(allTools({ strict: options.strict ?? false }).map((t) => [t.name, t]));
  const listing = { tools: [...tools.values()].map(describe) };

  const server = new TaskMcpServer(owned);
  server.setRequestHandler(ListToolsRequestSchema, () => listing);
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    const tool = tools.get(name);
    if (!tool) return errorResult(`Unknown tool: ${name}`);
    return callTool(tool, request.params.arguments ?? {}, { store, sessionId: extra.sessionId ?? fallbackSession });
  });
  return server;
}
