/**
 * Decodes a task-mcp `tools/call` result into a value or a classified error, accepting every wire form
 * task-mcp servers send (docs/task-mcp-compatibility.md, "Results and errors"): structured content wrapped as `{"result": …}` or not,
 * text-only results, empty `content` for empty lists, soft-error payloads, and the four hard-error classes.
 */

/** The shape of a CallToolResult we rely on (kept structural so any SDK version fits). */
export interface RawToolResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: unknown;
  isError?: boolean;
}

export type ToolErrorKind =
  /** A task-mcp soft error payload, e.g. PAGINATION_INVALID. */
  | 'soft'
  /** An exception raised in the tool body ("Error calling tool '<name>': …"). */
  | 'tool'
  /** Argument or model validation (pydantic report, or JSON-schema input validation). */
  | 'validation'
  /** The backend does not know the tool. */
  | 'unknown_tool';

export class ToolCallError extends Error {
  constructor(
    readonly kind: ToolErrorKind,
    readonly tool: string,
    message: string,
    /** Soft errors only: task-mcp's error code. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ToolCallError';
  }
}

const CALL_PREFIX = /^Error (?:calling|executing) tool '?[^':]*'?: ?/;
const PYDANTIC_REPORT = /^\d+ validation errors? for /;

function textOf(result: RawToolResult): string {
  return (result.content ?? [])
    .filter((c) => c.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text)
    .join('\n');
}

function classifyHardError(tool: string, text: string): ToolCallError {
  if (text.startsWith('Unknown tool:') || /^Tool \S+ not found/.test(text.replace(/^MCP error -?\d+: /, ''))) {
    return new ToolCallError('unknown_tool', tool, text);
  }
  if (PYDANTIC_REPORT.test(text) || /Input validation error/.test(text)) {
    return new ToolCallError('validation', tool, pydanticSummary(text));
  }
  return new ToolCallError('tool', tool, text.replace(CALL_PREFIX, ''));
}

/**
 * A pydantic report is several lines (title, field, indented message, docs URL); keep the field and
 * message, which is what a person needs: "title: String should have at least 1 character".
 */
export function pydanticSummary(text: string): string {
  const lines = text.split('\n');
  if (!PYDANTIC_REPORT.test(lines[0] ?? '')) return text;
  const parts: string[] = [];
  let field = '';
  for (const line of lines.slice(1)) {
    if (line.startsWith('    ')) continue; // the documentation URL
    if (!line.startsWith('  ')) {
      field = line.trim(); // the field name; absent for model-level rules
      continue;
    }
    const message = line.trim().replace(/\s*\[type=.*$/, '').replace(/^Value error, /, '');
    parts.push(field ? `${field}: ${message}` : message);
    field = '';
  }
  return parts.length ? parts.join('; ') : lines[0]!;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isSoftError(value: unknown): value is { error: { code: string; message: string } } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const error = (value as { error?: unknown }).error;
  return !!error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string';
}

/** Returns the tool's payload, or throws a ToolCallError. */
export function decodeToolResult(tool: string, result: RawToolResult): unknown {
  if (result.isError) throw classifyHardError(tool, textOf(result));

  let payload: unknown;
  const structured = result.structuredContent;
  if (structured !== undefined && structured !== null) {
    // FastMCP wraps lists and unions as {"result": …}; objects come bare.
    const keys = typeof structured === 'object' && !Array.isArray(structured) ? Object.keys(structured) : [];
    payload = keys.length === 1 && keys[0] === 'result' ? (structured as { result: unknown }).result : structured;
  } else {
    const blocks = (result.content ?? []).filter((c) => c.type === 'text');
    // An empty list arrives as `content: []` (no text block at all).
    if (blocks.length === 0) payload = [];
    else if (blocks.length === 1) payload = parseJsonText(blocks[0]!.text ?? '');
    // Older FastMCP versions send one text block per list item.
    else payload = blocks.map((b) => parseJsonText(b.text ?? ''));
  }

  if (isSoftError(payload)) {
    throw new ToolCallError('soft', tool, payload.error.message, payload.error.code);
  }
  return payload;
}
