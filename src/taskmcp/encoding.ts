/**
 * FastMCP 2.13 result encoding (contract §0.3): A = object, B = list wrapped as {"result": [...]},
 * C = dict-or-list union wrapped as {"result": ...}. Text content is the compact JSON of the unwrapped value.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { compactJson, toPlain } from './pytext.js';

export type Family = 'A' | 'B' | 'C';

const text = (t: string) => ({ type: 'text' as const, text: t });

export function encodeResult(family: Family, value: unknown): CallToolResult {
  const plain = toPlain(value);
  switch (family) {
    case 'A':
      return { content: [text(compactJson(value))], structuredContent: plain as Record<string, unknown>, isError: false };
    case 'B': {
      // FastMCP emits no text block at all for an empty list.
      const list = value as unknown[];
      return { content: list.length ? [text(compactJson(value))] : [], structuredContent: { result: plain }, isError: false };
    }
    case 'C':
      return { content: [text(compactJson(value))], structuredContent: { result: plain }, isError: false };
  }
}

export function errorResult(message: string): CallToolResult {
  return { content: [text(message)], isError: true };
}

