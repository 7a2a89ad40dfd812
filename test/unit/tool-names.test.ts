import { describe, expect, it } from 'vitest';
import { canonicalToolName } from '../../src/mcp/gateway.js';

describe('canonicalToolName', () => {
  it.each([
    ['mcp__task-mcp__list_tasks', 'list_tasks'],
    ['mcp__task_mcp__get_task', 'get_task'],
    ['list_tasks', 'list_tasks'],
    ['mcp__other__create_task', 'create_task'],
  ])('%s -> %s', (raw, name) => {
    expect(canonicalToolName(raw)).toBe(name);
  });
});
