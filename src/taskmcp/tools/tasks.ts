/**
 * task-mcp's task tools (docs/task-mcp-compatibility.md, "Tools"): list, create, get, update, search,
 * tree, delete, cleanup. The bodies of update and delete are shared with the compare-and-set extension
 * tools (checked.ts), which run them inside the same transaction as their precondition.
 */
import { PydanticError, ToolError, valueError, type PydanticLine } from '../errors.js';
import { normalizeTags, pyIsBlank, pyJsonDumps, pyLen } from '../pytext.js';
import type { Connection, Row } from '../store.js';
import { nowIso, nowMinusDaysIso } from '../timestamps.js';
import type { ArgsOf } from '../validation.js';
import {
  LIST_SUGGESTION, P, TASK_SUMMARY_COLS, checkMode, checkPagination, defineTool, envelope, openForRead, openForWrite, parseIdList,
  pick, sizeCheck,
} from './common.js';
import { likeFilter } from './search.js';
import { workspaceMetadata } from './workspace-metadata.js';

export const STATUSES = ['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted'];
const PRIORITIES = ['low', 'medium', 'high'];
const STATUS_TUPLE = "('todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted')";
const PRIORITY_TUPLE = "('low', 'medium', 'high')";

const TRANSITIONS: Record<string, string[]> = {
  todo: ['in_progress', 'blocked', 'cancelled', 'to_be_deleted'],
  in_progress: ['blocked', 'done', 'cancelled', 'to_be_deleted'],
  blocked: ['in_progress', 'cancelled', 'to_be_deleted'],
};

const SUMMARY_SELECT = `SELECT ${TASK_SUMMARY_COLS.join(', ')} FROM tasks`;

export function checkDescription(desc: string | null, onlyNonEmpty: boolean): void {
  if (desc === null || (onlyNonEmpty && desc === '')) return;
  const n = pyLen(desc);
  if (n > 10000) throw new ToolError(`Description exceeds 10,000 character limit (got ${n} chars)`);
}

function titleLine(title: string): PydanticLine | null {
  const n = pyLen(title);
  if (n < 1) return { loc: 'title', type: 'string_too_short', msg: 'String should have at least 1 character', input: title };
  if (n > 500) return { loc: 'title', type: 'string_too_long', msg: 'String should have at most 500 characters', input: title };
  return null;
}

const blocked = (status: unknown, reason: unknown) => status === 'blocked' && (typeof reason !== 'string' || !reason || pyIsBlank(reason));

export function activeTask(db: Connection, id: number): Row | undefined {
  return db.get('SELECT * FROM tasks WHERE id = ? AND deleted_at IS NULL', id);
}

function taskListQuery(where: string[], params: unknown[], mode: string, limit: number, offset: number, db: Connection, from = 'tasks') {
  const cond = where.join(' AND ');
  return db.read(() => {
    // The total is a scan of every matching row (large projects): memoized until the database changes.
    const countSql = `SELECT COUNT(*) AS n FROM ${from} WHERE ${cond}`;
    const total = db.memo(`count:${countSql}:${JSON.stringify(params)}`, () => db.get<{ n: number }>(countSql, ...params)!.n);
    const sel = mode === 'summary' ? SUMMARY_SELECT.replace('FROM tasks', `FROM ${from}`) : `SELECT * FROM ${from}`;
    const items = db.all(`${sel} WHERE ${cond} ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?`, ...params, limit, offset);
    return envelope(total, limit, offset, items);
  });
}

const listTasks = defineTool({
  name: 'list_tasks',
  family: 'C',
  description: 'List tasks with optional filters (status, priority, parent_task_id, tags) and pagination. mode: "summary" or "details".',
  params: [P.ws, P.optStr('status'), P.optStr('priority'), P.optInt('parent_task_id'), P.optStr('tags'), P.limit, P.offset, P.mode],
  async run(a, ctx) {
    const bad = checkPagination(a.limit, a.offset) ?? checkMode(a.mode);
    if (bad) return bad;
    const { db } = openForRead(ctx, a.workspace_path);
    const where = ['deleted_at IS NULL'];
    const params: unknown[] = [];
    if (a.status) (where.push('status = ?'), params.push(a.status));
    if (a.priority) (where.push('priority = ?'), params.push(a.priority));
    if (a.parent_task_id !== null) (where.push('parent_task_id = ?'), params.push(a.parent_task_id));
    if (a.tags) (where.push('tags LIKE ?'), params.push(`%${a.tags}%`));
    // A parent's children are few: look them up and sort them rather than scan the project in page order.
    const from = a.parent_task_id !== null ? 'tasks INDEXED BY idx_parent' : 'tasks';
    return sizeCheck(await taskListQuery(where, params, a.mode, a.limit, a.offset, db, from), LIST_SUGGESTION);
  },
});

const createTask = defineTool({
  name: 'create_task',
  family: 'A',
  description: 'Create a new task. Returns the full task row. created_by defaults to the MCP session id.',
  params: [
    P.reqStr('title'), P.ws, P.optStr('description'), P.def('status', 'str', 'todo'), P.def('priority', 'str', 'medium'),
    P.optInt('parent_task_id'), P.opt('depends_on', 'int_list'), P.optStr('tags'), P.opt('file_references', 'str_list'), P.optStr('created_by'),
  ],
  async run(a, ctx) {
    const { resolved, db } = await openForWrite(ctx, a.workspace_path);
    const createdBy = a.created_by ?? ctx.sessionId;
    const metadata = await workspaceMetadata(ctx.store, resolved);
    checkDescription(a.description, true);
    const lines: PydanticLine[] = [];
    const t = titleLine(a.title);
    if (t) lines.push(t);
    if (!STATUSES.includes(a.status)) lines.push(valueError('status', `Status must be one of ${STATUS_TUPLE}, got '${a.status}'`, a.status));
    if (!PRIORITIES.includes(a.priority)) lines.push(valueError('priority', `Priority must be one of ${PRIORITY_TUPLE}, got '${a.priority}'`, a.priority));
    if (!lines.length && blocked(a.status, null)) {
      const input = {
        title: a.title, description: a.description, status: a.status, priority: a.priority, parent_task_id: a.parent_task_id,
        depends_on: a.depends_on, tags: a.tags, file_references: a.file_references, created_by: createdBy,
      };
      lines.push(valueError(undefined, "blocker_reason is required when status is 'blocked'", input));
    }
    if (lines.length) throw new PydanticError('TaskCreate', lines);
    const now = nowIso();
    return db.write(() => {
      const r = db.run(
        `INSERT INTO tasks (title, description, status, priority, parent_task_id, depends_on, tags, file_references, created_by, created_at, updated_at, workspace_metadata)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        a.title, a.description, a.status, a.priority, a.parent_task_id,
        a.depends_on?.length ? pyJsonDumps(a.depends_on) : null,
        a.tags === null ? null : normalizeTags(a.tags),
        a.file_references?.length ? pyJsonDumps(a.file_references) : null,
        createdBy, now, now, metadata,
      );
      db.noteTaskChange(Number(r.lastInsertRowid));
      return db.get('SELECT * FROM tasks WHERE id = ?', r.lastInsertRowid);
    });
  },
});

const getTask = defineTool({
  name: 'get_task',
  family: 'A',
  description: 'Get one task (full row) by id.',
  params: [P.reqInt('task_id'), P.ws],
  run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    const row = activeTask(db, a.task_id);
    if (!row) throw new ToolError(`Task ${a.task_id} not found or has been deleted`);
    return row;
  },
});

const UPDATABLE = ['title', 'description', 'status', 'priority', 'parent_task_id', 'depends_on', 'tags', 'blocker_reason', 'file_references'] as const;

export const UPDATE_TASK_PARAMS = [
  P.reqInt('task_id'), P.ws, P.optStr('title'), P.optStr('description'), P.optStr('status'), P.optStr('priority'),
  P.optInt('parent_task_id'), P.opt('depends_on', 'int_list'), P.optStr('tags'), P.optStr('blocker_reason'), P.opt('file_references', 'str_list'),
] as const;

type UpdateTaskArgs = ArgsOf<typeof UPDATE_TASK_PARAMS>;

/**
 * update_task after WS/REG: the description check, then in one write transaction the lookup, `precondition`
 * (compare-and-set variants only), the state machine, model validation, blocked and dependency rules, UPDATE.
 */
export async function updateTask(db: Connection, a: UpdateTaskArgs, precondition?: (current: Row) => void): Promise<unknown> {
  checkDescription(a.description, false);
  return db.write(() => {
    const cur = activeTask(db, a.task_id);
    if (!cur) throw new ToolError(`Task ${a.task_id} not found or has been deleted`);
    precondition?.(cur);
    const curStatus = cur.status as string;
    if (a.status !== null && a.status !== curStatus && !(TRANSITIONS[curStatus] ?? []).includes(a.status)) {
      throw new ToolError(`Invalid status transition from '${curStatus}' to '${a.status}'`);
    }
    const lines: PydanticLine[] = [];
    if (a.title !== null) {
      const t = titleLine(a.title);
      if (t) lines.push(t);
    }
    if (a.status !== null && !STATUSES.includes(a.status)) lines.push(valueError('status', `Status must be one of ${STATUS_TUPLE}, got '${a.status}'`, a.status));
    if (a.priority !== null && !PRIORITIES.includes(a.priority)) lines.push(valueError('priority', `Priority must be one of ${PRIORITY_TUPLE}, got '${a.priority}'`, a.priority));
    if (!lines.length && blocked(a.status, a.blocker_reason)) {
      const input: Record<string, unknown> = {};
      for (const f of UPDATABLE) if (a[f] !== null) input[f] = a[f];
      lines.push(valueError(undefined, "blocker_reason is required when status is 'blocked'", input));
    }
    if (lines.length) throw new PydanticError('TaskUpdate', lines);
    const finalStatus = a.status ?? curStatus;
    const finalReason = a.blocker_reason ?? cur.blocker_reason;
    if (blocked(finalStatus, finalReason)) throw new ToolError("blocker_reason is required when status is 'blocked'");
    if (a.status === 'done') {
      const deps = a.depends_on !== null ? a.depends_on : parseIdList(cur.depends_on);
      for (const dep of deps) {
        const d = db.get<{ status: string }>('SELECT status FROM tasks WHERE id = ? AND deleted_at IS NULL', dep);
        if (d && d.status !== 'done') throw new ToolError(`Cannot mark task as done: dependency ${dep} is not done (status: ${d.status})`);
      }
    }
    const sets: string[] = [];
    const vals: unknown[] = [];
    for (const f of UPDATABLE) {
      const given = a[f];
      if (given === null) continue;
      let v: unknown = given;
      if (f === 'depends_on' || f === 'file_references') v = pyJsonDumps(given);
      if (f === 'tags') v = normalizeTags(given as string);
      sets.push(`${f} = ?`);
      vals.push(v);
    }
    sets.push('updated_at = ?');
    vals.push(nowIso());
    if (a.status === 'done') (sets.push('completed_at = ?'), vals.push(nowIso()));
    db.run(`UPDATE tasks SET ${sets.join(', ')} WHERE id = ?`, ...vals, a.task_id);
    db.noteTaskChange(a.task_id);
    return db.get('SELECT * FROM tasks WHERE id = ?', a.task_id);
  });
}

const updateTaskTool = defineTool({
  name: 'update_task',
  family: 'A',
  description: 'Update a task. null leaves a field unchanged. Status changes follow the state machine; done checks dependencies.',
  params: UPDATE_TASK_PARAMS,
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return updateTask(db, a);
  },
});

const searchTasks = defineTool({
  name: 'search_tasks',
  family: 'C',
  description: 'Search active tasks by title or description (SQL LIKE, % and _ are wildcards), with pagination.',
  params: [P.reqStr('search_term'), P.ws, P.limit, P.offset, P.mode],
  async run(a, ctx) {
    const bad = checkPagination(a.limit, a.offset) ?? checkMode(a.mode);
    if (bad) return bad;
    const { db } = openForRead(ctx, a.workspace_path);
    const like = likeFilter(a.search_term, ['title', 'description']);
    return sizeCheck(await taskListQuery(['deleted_at IS NULL', like.sql], like.params, a.mode, a.limit, a.offset, db), LIST_SUGGESTION);
  },
});

/** Python's recursion limit makes task-mcp fail on trees deeper than ~250 levels (and on self-parents). */
const MAX_TREE_DEPTH = 250;

function buildTree(db: Connection, row: Row, depth: number): Row & { subtasks: Row[] } {
  if (depth >= MAX_TREE_DEPTH) throw new ToolError('maximum recursion depth exceeded while calling a Python object');
  const children = db.all('SELECT * FROM tasks WHERE parent_task_id = ? AND deleted_at IS NULL ORDER BY id ASC', row.id);
  return { ...row, subtasks: children.map((c) => buildTree(db, c, depth + 1)) };
}

function summaryTree(node: Row & { subtasks: Row[] }): Row {
  const out = pick(node, TASK_SUMMARY_COLS);
  if (node.subtasks.length) out.subtasks = node.subtasks.map((c) => summaryTree(c as Row & { subtasks: Row[] }));
  return out;
}

const getTaskTree = defineTool({
  name: 'get_task_tree',
  family: 'A',
  description: 'Get a task with all its active subtasks, recursively. mode: "summary" or "details".',
  params: [P.reqInt('task_id'), P.ws, P.mode],
  async run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    const tree = await db.read(() => {
      const root = activeTask(db, a.task_id);
      if (!root) throw new ToolError(`Task ${a.task_id} not found`);
      return buildTree(db, root, 0);
    });
    const bad = checkMode(a.mode);
    if (bad) return bad;
    const view = a.mode === 'summary' ? summaryTree(tree) : tree;
    return sizeCheck(view, 'Use summary mode or get_task() with parent_task_id filter for paginated subtasks');
  },
});

export const DELETE_TASK_PARAMS = [P.reqInt('task_id'), P.ws, P.def('cascade', 'bool', false)] as const;

/** delete_task after WS/REG, in one write transaction with the optional precondition. */
export function deleteTask(db: Connection, a: ArgsOf<typeof DELETE_TASK_PARAMS>, precondition?: (current: Row) => void): Promise<unknown> {
  return db.write(() => {
    const cur = activeTask(db, a.task_id);
    if (!cur) throw new ToolError(`Task ${a.task_id} not found or already deleted`);
    precondition?.(cur);
    const now = nowIso();
    db.run('UPDATE tasks SET deleted_at = ? WHERE id = ?', now, a.task_id);
    db.noteTaskChange(a.task_id);
    let count = 1;
    if (a.cascade) {
      const children = db.column<number>('SELECT id FROM tasks WHERE parent_task_id = ? AND deleted_at IS NULL', a.task_id);
      count += db.run('UPDATE tasks SET deleted_at = ? WHERE parent_task_id = ? AND deleted_at IS NULL', now, a.task_id).changes;
      db.noteTaskChange(...children);
    }
    return { success: true, task_id: a.task_id, deleted_count: count, cascade: a.cascade };
  });
}

const deleteTaskTool = defineTool({
  name: 'delete_task',
  family: 'A',
  description: 'Soft-delete a task; cascade=true also soft-deletes its direct children.',
  params: DELETE_TASK_PARAMS,
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return deleteTask(db, a);
  },
});

const cleanupDeletedTasks = defineTool({
  name: 'cleanup_deleted_tasks',
  family: 'A',
  description: 'Permanently delete tasks soft-deleted more than `days` days ago.',
  params: [P.ws, P.def('days', 'int', 30)],
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    const cutoff = nowMinusDaysIso(a.days);
    // Purged rows were soft-deleted already, so no active task (the dependents index) changes.
    const purged = await db.write(() => db.run('DELETE FROM tasks WHERE deleted_at IS NOT NULL AND deleted_at < ?', cutoff).changes);
    return { success: true, purged_count: purged, cutoff_days: a.days, cutoff_date: cutoff };
  },
});

export const taskTools = [listTasks, createTask, getTask, updateTaskTool, searchTasks, getTaskTree, deleteTaskTool, cleanupDeletedTasks];
