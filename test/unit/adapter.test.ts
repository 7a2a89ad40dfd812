import { describe, expect, it } from 'vitest';
import { toEntity, toIsoTimestamp, toStatusCounts, toTask, toTaskFields } from '../../src/service/adapter.js';

describe('adapter', () => {
  it('reads task-mcp timestamps as local time and legacy ones as UTC', () => {
    const local = new Date(2026, 10, 24, 9, 30, 15, 123).toISOString();
    expect(toIsoTimestamp('2026-11-24T09:30:15.123456')).toBe(local);
    expect(toIsoTimestamp('2026-11-24T09:30:15')).toBe(new Date(2026, 10, 24, 9, 30, 15).toISOString());
    expect(toIsoTimestamp('2026-11-24 09:30:15')).toBe('2026-11-24T09:30:15.000Z');
    expect(toIsoTimestamp('2026-11-24T09:30:15+02:00')).toBe('2026-11-24T07:30:15.000Z');
    expect(toIsoTimestamp(null)).toBeNull();
    expect(toIsoTimestamp('not a date')).toBeNull();
  });

  it('turns JSON-in-text and space-separated tags into arrays', () => {
    const row = {
      id: 3, title: 'T', description: null, status: 'todo', priority: 'high', parent_task_id: null,
      depends_on: '[1, 2]', tags: 'backend  api', blocker_reason: null, file_references: '["src/a.py", "/x/b.py"]',
      created_by: null, created_at: '2026-01-01 00:00:00', updated_at: null, completed_at: null, deleted_at: null,
      workspace_metadata: '{"workspace_path": "/w", "git_root": null}',
    };
    expect(toTaskFields(row)).toMatchObject({
      depends_on: [1, 2], tags: ['backend', 'api'], file_references: ['src/a.py', '/x/b.py'],
      workspace_metadata: { workspace_path: '/w', git_root: null }, created_at: '2026-01-01T00:00:00.000Z',
    });
    expect(toTaskFields({ ...row, depends_on: null, tags: null, file_references: 'garbage' })).toMatchObject({ depends_on: [], tags: [], file_references: [] });
  });

  it('marks open tasks with dependents as blockers', () => {
    const base = { id: 1, title: 't', status: 'todo' };
    expect(toTask({ ...base, dependents: [2, 3] })).toMatchObject({ is_blocker: true, blocks_task_ids: [2, 3] });
    expect(toTask({ ...base, status: 'done', dependents: [2] })).toMatchObject({ is_blocker: false, blocks_task_ids: [2] });
    expect(toTask({ ...base, dependents: [] })).toMatchObject({ is_blocker: false, blocks_task_ids: [] });
  });

  it('parses entity metadata of any JSON type and keeps unparseable text', () => {
    const row = { id: 1, entity_type: 'file', name: 'n', tags: null };
    expect(toEntity({ ...row, metadata: '{"a": 1}' }).metadata).toEqual({ a: 1 });
    expect(toEntity({ ...row, metadata: '42' }).metadata).toBe(42);
    expect(toEntity({ ...row, metadata: null }).metadata).toBeNull();
    expect(toEntity({ ...row, metadata: '{bad' }).metadata).toBe('{bad');
  });

  it('fills in zero status counts', () => {
    expect(toStatusCounts({ todo: 3 })).toEqual({ todo: 3, in_progress: 0, blocked: 0, done: 0, cancelled: 0, to_be_deleted: 0 });
  });
});
