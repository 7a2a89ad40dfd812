/**
 * The MCP server: every tool is registered through McpServer.registerTool (so tools/list is the SDK's, with
 * zod-derived input schemas), then tools/call is replaced by our own handler. McpServer's built-in handler
 * validates with zod and words every failure its own way ("MCP error -32602: Tool x not found", "Input
 * validation error: …"); task-mcp clients see FastMCP's texts instead: "Unknown tool: x", pydantic LAX
 * validation reports, "Error calling tool '<name>': <msg>", and the A/B/C result families.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { encodeResult, errorResult } from './encoding.js';
import { PydanticError, RawToolError } from './errors.js';
import { resolveTaskMcpHome } from './paths.js';
import { storeFor } from './store.js';
import { newSessionId, type ToolContext, type ToolDef } from './tools/common.js';
import { allTools } from './tools/index.js';
import type { ParamSpec } from './validation.js';
import { validateArguments } from './validation.js';

export const SERVER_NAME = 'Task Tracker';
export const SERVER_VERSION = '0.1.0';

export interface TaskMcpServerOptions {
  /** Directory holding master.db and databases/ (default: TASK_MCP_HOME or ~/.task-mcp). */
  home?: string;
  /** created_by/updated_by when the transport has no session id (stdio, in-memory). Default: a random UUID. */
  sessionId?: string;
  /**
   * Offer only the 22 tools of task-mcp, without our extension tools (default: TASK_MCP_STRICT=true).
   * Clients then see exactly what the Python server offers; the REST service falls back accordingly.
   */
  strict?: boolean;
}

const integer = () => z.number().int().meta({ minimum: undefined, maximum: undefined });

function zodFor(p: ParamSpec): z.ZodType {
  let t: z.ZodType;
  switch (p.kind) {
    case 'str': t = z.string(); break;
    case 'int': t = integer(); break;
    case 'bool': t = z.boolean(); break;
    case 'int_list': t = z.array(integer()); break;
    case 'str_list': t = z.array(z.string()); break;
    case 'metadata': t = z.union([z.string(), z.record(z.string(), z.any()), z.array(z.any())]); break;
  }
  if (p.nullable) t = t.nullable();
  if ('default' in p) t = (t as z.ZodType<unknown>).default(p.default as never);
  if (p.description) t = t.describe(p.description);
  return t;
}

const looseObject = () => z.looseObject({}).meta({ additionalProperties: true });
const OUTPUT_ZOD = {
  A: () => looseObject(),
  B: () => z.object({ result: z.array(looseObject()) }).meta({ 'x-fastmcp-wrap-result': true, additionalProperties: undefined }),
  C: () => z.object({ result: z.union([looseObject(), z.array(looseObject())]) }).meta({ 'x-fastmcp-wrap-result': true, additionalProperties: undefined }),
};

/**
 * TEST-ONLY fault hook: TASK_MCP_TEST_DELAY_MS delays every tools/call (optionally only the tools named in
 * TASK_MCP_TEST_DELAY_TOOLS, comma-separated). Used by timeout / circuit-breaker tests; unset in production.
 */
async function testDelay(tool: string): Promise<void> {
  const ms = Number.parseInt(process.env.TASK_MCP_TEST_DELAY_MS ?? '', 10);
  if (!Number.isFinite(ms) || ms <= 0) return;
  const only = process.env.TASK_MCP_TEST_DELAY_TOOLS;
  if (only && !only.split(',').map((s) => s.trim()).includes(tool)) return;
  await new Promise((r) => setTimeout(r, ms));
}

export async function callTool(tool: ToolDef, rawArgs: Record<string, unknown>, ctx: ToolContext): Promise<CallToolResult> {
  try {
    const args = validateArguments(tool.name, tool.params, rawArgs);
    return encodeResult(tool.family, await tool.run(args, ctx));
  } catch (err) {
    if (err instanceof PydanticError || err instanceof RawToolError) return errorResult(err.message);
    const msg = err instanceof Error ? err.message : String(err);
    if (!(err instanceof Error) || err.constructor === Error || err instanceof TypeError || err instanceof RangeError) {
      process.stderr.write(`task-mcp: ${tool.name} failed: ${err instanceof Error ? err.stack : msg}\n`);
    }
    return errorResult(`Error calling tool '${tool.name}': ${msg}`);
  }
}

export function createTaskMcpServer(options: TaskMcpServerOptions = {}): McpServer {
  const store = storeFor(options.home ?? resolveTaskMcpHome());
  const fallbackSession = options.sessionId ?? newSessionId();
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });
  const tools = new Map<string, ToolDef>();

  const strict = options.strict ?? process.env.TASK_MCP_STRICT === 'true';
  for (const tool of allTools({ strict })) {
    tools.set(tool.name, tool);
    const shape: Record<string, z.ZodType> = {};
    for (const p of tool.params) shape[p.name] = zodFor(p);
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: shape as z.ZodRawShape,
        outputSchema: OUTPUT_ZOD[tool.family]() as unknown as z.ZodRawShape,
        _meta: { _fastmcp: { tags: [] } },
      },
      // Not reached: our tools/call handler below replaces McpServer's. Kept so the SDK sees a callable tool.
      (async (args: Record<string, unknown>, extra: { sessionId?: string }) =>
        callTool(tool, args, { store, sessionId: extra.sessionId ?? fallbackSession })) as never,
    );
  }

  // McpServer installed its handlers on the first registerTool; setRequestHandler replaces tools/call.
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    await testDelay(name);
    const tool = tools.get(name);
    if (!tool) return errorResult(`Unknown tool: ${name}`);
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    return callTool(tool, args, { store, sessionId: extra.sessionId ?? fallbackSession });
  });
  return server;
}
