/**
 * Tool result encoding (docs/task-mcp-compatibility.md, "Results"). task-mcp's tools use FastMCP 2.13's
 * families: A = object, B = list wrapped as {"result": [...]}, C = dict-or-list union wrapped as
 * {"result": ...}; the text content is the compact JSON of the unwrapped value. Extension tools that return
 * large pages use family 'json': one text block of plain JSON and no structured copy.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { compactJson, PyFloat, toPlain } from './pytext.js';

export type Family = 'A' | 'B' | 'C' | 'json';

const text = (t: string) => ({ type: 'text' as const, text: t });

/** True when the value holds something Python prints differently from JSON.stringify (floats). */
function needsPythonText(v: unknown): boolean {
  if (v === undefined) return true; // compactJson prints null where JSON.stringify drops the key
  if (v === null || typeof v !== 'object') return typeof v === 'number' ? !Number.isInteger(v) : false;
  if (v instanceof PyFloat) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (needsPythonText(x)) return true;
    return false;
  }
  for (const k in v) if (needsPythonText((v as Record<string, unknown>)[k])) return true;
  return false;
}

export function encodeResult(family: Family, value: unknown): CallToolResult {
  // Our own extension results need no Python formatting at all.
  if (family === 'json') return { content: [text(JSON.stringify(value))], isError: false };
  // Plain JSON (the common case: rows of strings, integers and nulls) is byte-identical under
  // JSON.stringify and needs no copy for the structured content; floats take the Python-compatible path.
  const python = needsPythonText(value);
  const json = python ? compactJson(value) : JSON.stringify(value);
  const plain = python ? toPlain(value) : value;
  switch (family) {
    case 'A':
      return { content: [text(json)], structuredContent: plain as Record<string, unknown>, isError: false };
    case 'B':
      // FastMCP emits no text block at all for an empty list.
      return { content: (value as unknown[]).length ? [text(json)] : [], structuredContent: { result: plain }, isError: false };
    case 'C':
      return { content: [text(json)], structuredContent: { result: plain }, isError: false };
  }
}

export function errorResult(message: string): CallToolResult {
  return { content: [text(message)], isError: true };
}
