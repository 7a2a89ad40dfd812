/** Task tools (§4.1–4.5, 4.10–4.12). */
import { PydanticError, ToolError, valueError, type PydanticLine } from '../errors.js';
import { normalizeTags, pyIsBlank, pyJsonDumps, pyLen } from '../pytext.js';
import type { Connection, Row } from '../store.js';
import { nowIso, nowMinusDaysIso } from '../timestamps.js';
import {
  LIST_SUGGESTION, P, TASK_SUMMARY_COLS, checkMode, checkPagination, envelope, openWorkspace, parseIdList, pick,
  register, resolveWs, sizeCheck, type ToolDef,
} from './common.js';
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

function taskListQuery(where: string[], params: unknown[], mode: string, limit: number, offset: number, db: Connection) {
  const cond = where.join(' AND ');
  return db.read(() => {
    // The total is a scan of every matching row (large projects): memoized until the database changes.
    const countSql = `SELECT COUNT(*) AS n FROM tasks WHERE ${cond}`;
    const total = db.memo(`count:${countSql}:${JSON.stringify(params)}`, () => db.get<{ n: number }>(countSql, ...params)!.n);
    const sel = mode === 'summary' ? SUMMARY_SELECT : 'SELECT * FROM tasks';
    const items = db.all(`${sel} WHERE ${cond} ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?`, ...params, limit, offset);
    return envelope(total, limit, offset, items);
  });
}

const listTasks: ToolDef = {
  name: 'list_tasks',
  family: 'C',
  description: 'List tasks with optional filters (status, priority, parent_task_id, tags) and pagination. mode: "summary" or "details".',
  params: [P.ws, P.optStr('status'), P.optStr('priority'), P.optInt('parent_task_id'), P.optStr('tags'), P.limit, P.offset, P.mode],
  async run(a, ctx) {
    const bad = checkPagination(a.limit, a.offset) ?? checkMode(a.mode);
    if (bad) return bad;
    const { db } = await openWorkspace(ctx, a.workspace_path);
    const where = ['deleted_at IS NULL'];
    const params: unknown[] = [];
    if (a.status) (where.push('status = ?'), params.push(a.status));
    if (a.priority) (where.push('priority = ?'), params.push(a.priority));
    if (a.parent_task_id !== null) (where.push('parent_task_id = ?'), params.push(a.parent_task_id));
    if (a.tags) (where.push('tags LIKE ?'), params.push(`%${a.tags}%`));
    return sizeCheck(await taskListQuery(where, params, a.mode, a.limit, a.offset, db), LIST_SUGGESTION);
  },
};

const createTask: ToolDef = {
  name: 'create_task',
  family: 'A',
  description: 'Create a new task. Returns the full task row. created_by defaults to the MCP session id.',
  params: [
    P.reqStr('title'), P.ws, P.optStr('description'),
    { name: 'status', kind: 'str', default: 'todo' }, { name: 'priority', kind: 'str', default: 'medium' },
    P.optInt('parent_task_id'), { name: 'depends_on', kind: 'int_list', nullable: true, default: null },
    P.optStr('tags'), { name: 'file_references', kind: 'str_list', nullable: true, default: null }, P.optStr('created_by'),
  ],
  async run(a, ctx) {
    const resolved = resolveWs(a.workspace_path);
    const id = await register(ctx.store, resolved);
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
    const db = ctx.store.project(id);
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
      return db.get('SELECT * FROM tasks WHERE id = ?', r.lastInsertRowid);
    });
  },
};

const getTask: ToolDef = {
  name: 'get_task',
  family: 'A',
  description: 'Get one task (full row) by id.',
  params: [P.reqInt('task_id'), P.ws],
  async run(a, ctx) {
    const { db } = await openWorkspace(ctx, a.workspace_path);
    const row = activeTask(db, a.task_id);
    if (!row) throw new ToolError(`Task ${a.task_id} not found or has been deleted`);
    return row;
  },
};

const UPDATABLE = ['title', 'description', 'status', 'priority', 'parent_task_id', 'depends_on', 'tags', 'blocker_reason', 'file_references'];

const updateTask: ToolDef = {
  name: 'update_task',
  family: 'A',
  description: 'Update a task. null leaves a field unchanged. Status changes follow the state machine; done checks dependencies.',
  params: [
    P.reqInt('task_id'), P.ws, P.optStr('title'), P.optStr('description'), P.optStr('status'), P.optStr('priority'),
    P.optInt('parent_task_id'), { name: 'depends_on', kind: 'int_list', nullable: true, default: null }, P.optStr('tags'),
    P.optStr('blocker_reason'), { name: 'file_references', kind: 'str_list', nullable: true, default: null },
  ],
  async run(a, ctx) {
    const { db } = await openWorkspace(ctx, a.workspace_path);
    checkDescription(a.description, false);
    return db.write(() => {
      const cur = activeTask(db, a.task_id);
      if (!cur) throw new ToolError(`Task ${a.task_id} not found or has been deleted`);
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
        const deps = a.depends_on !== null ? (a.depends_on as number[]) : parseIdList(cur.depends_on);
        for (const dep of deps) {
          const d = db.get<{ status: string }>('SELECT status FROM tasks WHERE id = ? AND deleted_at IS NULL', dep);
          if (d && d.status !== 'done') throw new ToolError(`Cannot mark task as done: dependency ${dep} is not done (status: ${d.status})`);
        }
      }
      const sets: string[] = [];
      const vals: unknown[] = [];
      for (const f of UPDATABLE) {
        if (a[f] === null) continue;
        let v = a[f];
        if (f === 'depends_on' || f === 'file_references') v = pyJsonDumps(v);
        if (f === 'tags') v = normalizeTags(v);
        sets.push(`${f} = ?`);
        vals.push(v);
      }
      sets.push('updated_at = ?');
      vals.push(nowIso());
      if (a.status === 'done') (sets.push('completed_at = ?'), vals.push(nowIso()));
      db.run(`UPDATE tasks SET ${sets.join(', ')} WHERE id = ?`, ...vals, a.task_id);
      return db.get('SELECT * FROM tasks WHERE id = ?', a.task_id);
    });
  },
};

const searchTasks: ToolDef = {
  name: 'search_tasks',
  family: 'C',
  description: 'Search active tasks by title or description (SQL LIKE, % and _ are wildcards), with pagination.',
  params: [P.reqStr('search_term'), P.ws, P.limit, P.offset, P.mode],
  async run(a, ctx) {
    const bad = checkPagination(a.limit, a.offset) ?? checkMode(a.mode);
    if (bad) return bad;
    const { db } = await openWorkspace(ctx, a.workspace_path);
    const pat = `%${a.search_term}%`;
    return sizeCheck(await taskListQuery(['deleted_at IS NULL', '(title LIKE ? OR description LIKE ?)'], [pat, pat], a.mode, a.limit, a.offset, db), LIST_SUGGESTION);
  },
};

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

const getTaskTree: ToolDef = {
  name: 'get_task_tree',
  family: 'A',
  description: 'Get a task with all its active subtasks, recursively. mode: "summary" or "details".',
  params: [P.reqInt('task_id'), P.ws, P.mode],
  async run(a, ctx) {
    const { db } = await openWorkspace(ctx, a.workspace_path);
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
};

const deleteTask: ToolDef = {
  name: 'delete_task',
  family: 'A',
  description: 'Soft-delete a task; cascade=true also soft-deletes its direct children.',
  params: [P.reqInt('task_id'), P.ws, { name: 'cascade', kind: 'bool', default: false }],
  async run(a, ctx) {
    const { db } = await openWorkspace(ctx, a.workspace_path);
    return db.write(() => {
      if (!activeTask(db, a.task_id)) throw new ToolError(`Task ${a.task_id} not found or already deleted`);
      const now = nowIso();
      db.run('UPDATE tasks SET deleted_at = ? WHERE id = ?', now, a.task_id);
      let count = 1;
      if (a.cascade) count += db.run('UPDATE tasks SET deleted_at = ? WHERE parent_task_id = ? AND deleted_at IS NULL', now, a.task_id).changes;
      return { success: true, task_id: a.task_id, deleted_count: count, cascade: a.cascade };
    });
  },
};

const cleanupDeletedTasks: ToolDef = {
  name: 'cleanup_deleted_tasks',
  family: 'A',
  description: 'Permanently delete tasks soft-deleted more than `days` days ago.',
  params: [P.ws, { name: 'days', kind: 'int', default: 30 }],
  async run(a, ctx) {
    const { db } = await openWorkspace(ctx, a.workspace_path);
    const cutoff = nowMinusDaysIso(a.days);
    const purged = await db.write(() => db.run('DELETE FROM tasks WHERE deleted_at IS NOT NULL AND deleted_at < ?', cutoff).changes);
    return { success: true, purged_count: purged, cutoff_days: a.days, cutoff_date: cutoff };
  },
};

export const taskTools: ToolDef[] = [listTasks, createTask, getTask, updateTask, searchTasks, getTaskTree, deleteTask, cleanupDeletedTasks];
