/** Every wire form the contract lists (§0.3, §0.4, §12.2) decodes to the same value or error class. */
import { describe, expect, it } from 'vitest';
import { ToolCallError, decodeToolResult, pydanticSummary } from '../../src/mcp/tool-result.js';

const text = (t: string) => ({ type: 'text', text: t });

describe('decodeToolResult', () => {
  const envelope = { total_count: 1, returned_count: 1, limit: 100, offset: 0, items: [{ id: 1 }] };

  it.each([
    ['family A object', { structuredContent: { id: 1 }, content: [text('{"id":1}')] }, { id: 1 }],
    ['family B wrapped list', { structuredContent: { result: [{ id: 1 }] }, content: [text('[{"id":1}]')] }, [{ id: 1 }]],
    ['family B empty list (no content)', { structuredContent: { result: [] }, content: [] }, []],
    ['family C wrapped envelope', { structuredContent: { result: envelope }, content: [text(JSON.stringify(envelope))] }, envelope],
    ['text-only object', { content: [text('{"id":1}')] }, { id: 1 }],
    ['text-only list', { content: [text('[1,2]')] }, [1, 2]],
    ['text-only empty list', { content: [] }, []],
    ['one block per item (old FastMCP)', { content: [text('{"id":1}'), text('{"id":2}')] }, [{ id: 1 }, { id: 2 }]],
  ])('%s', (_name, result, expected) => {
    expect(decodeToolResult('t', result)).toEqual(expected);
  });

  it('raises soft errors, wrapped or not', () => {
    const soft = { error: { code: 'PAGINATION_INVALID', message: 'limit must be between 1 and 1000, got 0', details: { limit: 0 } } };
    for (const result of [{ structuredContent: { result: soft }, content: [text(JSON.stringify(soft))] }, { content: [text(JSON.stringify(soft))] }]) {
      const err = (() => {
        try {
          decodeToolResult('list_tasks', result);
        } catch (e) {
          return e as ToolCallError;
        }
      })();
      expect(err).toBeInstanceOf(ToolCallError);
      expect(err).toMatchObject({ kind: 'soft', code: 'PAGINATION_INVALID', message: 'limit must be between 1 and 1000, got 0' });
    }
  });

  it.each([
    ["Error calling tool 'get_task': Task 20 not found or has been deleted", 'tool', 'Task 20 not found or has been deleted'],
    ['Unknown tool: get_next_tasks', 'unknown_tool', 'Unknown tool: get_next_tasks'],
    ['MCP error -32602: Tool nope not found', 'unknown_tool', 'MCP error -32602: Tool nope not found'],
    [
      '1 validation error for TaskCreate\ntitle\n  String should have at least 1 character [type=string_too_short, input_value=\'\', input_type=str]\n    For further information visit https://errors.pydantic.dev/2.13/v/string_too_short',
      'validation',
      'title: String should have at least 1 character',
    ],
    ["Output validation error: {'error': {'code': 'INVALID_MODE'}} is not of type 'array'", 'tool', "Output validation error: {'error': {'code': 'INVALID_MODE'}} is not of type 'array'"],
  ])('classifies hard error %#', (message, kind, cleaned) => {
    try {
      decodeToolResult('x', { isError: true, content: [text(message)] });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ kind, message: cleaned });
    }
  });

  it('summarises model-level pydantic errors without a field line', () => {
    const report =
      "1 validation error for TaskUpdate\n  Value error, blocker_reason is required when status is 'blocked' [type=value_error, input_value={}, input_type=dict]\n    For further information visit https://errors.pydantic.dev/2.13/v/value_error";
    expect(pydanticSummary(report)).toBe("blocker_reason is required when status is 'blocked'");
  });
});
