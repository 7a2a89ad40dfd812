/**
 * task-mcp's entity and link tools (docs/task-mcp-compatibility.md, "Tools"). The bodies of update and
 * delete are shared with the compare-and-set extension tools (checked.ts).
 */
import { PydanticError, RawToolError, ToolError, valueError, type PydanticLine } from '../errors.js';
import { pyJsonError } from '../pyjson.js';
import { normalizeTags, pyJsonDumps, pyLen, pyRepr, pySplit } from '../pytext.js';
import type { Connection, Row } from '../store.js';
import { nowIso } from '../timestamps.js';
import type { ArgsOf } from '../validation.js';
import {
  ENTITY_SUMMARY_COLS, LIST_SUGGESTION, P, TASK_SUMMARY_COLS, checkMode, checkPagination, defineTool, envelope, openForRead,
  openForWrite, pick, sizeCheck,
} from './common.js';
import { likeFilter } from './search.js';
import { activeTask, checkDescription } from './tasks.js';

export function activeEntity(db: Connection, id: number): Row | undefined {
  return db.get('SELECT * FROM entities WHERE id = ? AND deleted_at IS NULL', id);
}

/** object/array -> json.dumps text; strings are kept verbatim (validated later). */
function metadataText(m: unknown): string | null {
  if (m === null) return null;
  if (typeof m === 'string') return m;
  return pyJsonDumps(m);
}

function nameLines(name: string | null, identifier: string | null, metadata: string | null): PydanticLine[] {
  const lines: PydanticLine[] = [];
  if (name !== null) {
    const n = pyLen(name);
    if (n < 1) lines.push({ loc: 'name', type: 'string_too_short', msg: 'String should have at least 1 character', input: name });
    else if (n > 500) lines.push({ loc: 'name', type: 'string_too_long', msg: 'String should have at most 500 characters', input: name });
  }
  if (identifier !== null && pyLen(identifier) > 1000) {
    lines.push({ loc: 'identifier', type: 'string_too_long', msg: 'String should have at most 1000 characters', input: identifier });
  }
  if (metadata) {
    const err = pyJsonError(metadata);
    if (err) lines.push(valueError('metadata', `metadata must be valid JSON: ${err}`, metadata));
  }
  return lines;
}

const getEntity = defineTool({
  name: 'get_entity',
  family: 'A',
  description: 'Get one entity (full row) by id.',
  params: [P.reqInt('entity_id'), P.ws],
  run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    const row = activeEntity(db, a.entity_id);
    if (!row) throw new ToolError(`Entity ${a.entity_id} not found or has been deleted`);
    return row;
  },
});

const createEntity = defineTool({
  name: 'create_entity',
  family: 'A',
  description: 'Create an entity (type "file" or "other"). metadata may be a JSON string, object or array.',
  params: [
    P.reqStr('entity_type'), P.reqStr('name'), P.ws, P.optStr('identifier'), P.optStr('description'),
    P.opt('metadata', 'metadata'), P.optStr('tags'), P.optStr('created_by'),
  ],
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    const createdBy = a.created_by ?? ctx.sessionId;
    checkDescription(a.description, true);
    const meta = metadataText(a.metadata);
    const lines: PydanticLine[] = [];
    if (a.entity_type !== 'file' && a.entity_type !== 'other') {
      lines.push(valueError('entity_type', `entity_type must be one of ('file', 'other'), got '${a.entity_type}'`, a.entity_type));
    }
    lines.push(...nameLines(a.name, a.identifier, meta));
    if (lines.length) throw new PydanticError('EntityCreate', lines);
    return db.write(() => {
      if (a.identifier !== null) {
        const dup = db.get<{ id: number; name: string }>(
          'SELECT id, name FROM entities WHERE entity_type = ? AND identifier = ? AND deleted_at IS NULL', a.entity_type, a.identifier);
        if (dup) throw new ToolError(`Entity already exists: ${a.entity_type}='${a.identifier}' (id=${dup.id}, name='${dup.name}')`);
      }
      const now = nowIso();
      const r = db.run(
        `INSERT INTO entities (entity_type, name, identifier, description, metadata, tags, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        a.entity_type, a.name, a.identifier, a.description, meta || null,
        a.tags === null ? null : normalizeTags(a.tags), createdBy, now, now,
      );
      return db.get('SELECT * FROM entities WHERE id = ?', r.lastInsertRowid);
    });
  },
});

const linkEntityToTask = defineTool({
  name: 'link_entity_to_task',
  family: 'A',
  description: 'Link an entity to a task.',
  params: [P.reqInt('task_id'), P.reqInt('entity_id'), P.ws, P.optStr('created_by')],
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    const createdBy = a.created_by ?? ctx.sessionId;
    return db.write(() => {
      if (!activeTask(db, a.task_id)) throw new ToolError(`Task ${a.task_id} not found or has been deleted`);
      if (!activeEntity(db, a.entity_id)) throw new ToolError(`Entity ${a.entity_id} not found or has been deleted`);
      const now = nowIso();
      try {
        const r = db.run('INSERT INTO task_entity_links (task_id, entity_id, created_by, created_at) VALUES (?, ?, ?, ?)', a.task_id, a.entity_id, createdBy, now);
        return { link_id: Number(r.lastInsertRowid), task_id: a.task_id, entity_id: a.entity_id, created_by: createdBy, created_at: now };
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new ToolError(`Link already exists between task ${a.task_id} and entity ${a.entity_id}`);
        }
        throw err;
      }
    });
  },
});

const getTaskEntities = defineTool({
  name: 'get_task_entities',
  family: 'B',
  description: 'Entities linked to a task (bare list, newest link first).',
  params: [P.reqInt('task_id'), P.ws, P.mode],
  async run(a, ctx) {
    const { db } = openForRead(ctx, a.workspace_path);
    const rows = await db.read(() => {
      if (!activeTask(db, a.task_id)) throw new ToolError(`Task ${a.task_id} not found or has been deleted`);
      return db.all(
        `SELECT e.*, l.created_at AS link_created_at, l.created_by AS link_created_by
         FROM entities e JOIN task_entity_links l ON l.entity_id = e.id
         WHERE l.task_id = ? AND e.deleted_at IS NULL AND l.deleted_at IS NULL
         ORDER BY l.created_at DESC, l.id ASC`, a.task_id);
    });
    const bad = checkMode(a.mode);
    // FastMCP wraps the soft-error dict as {"result": {...}}, which fails the list outputSchema.
    if (bad) throw new RawToolError(`Output validation error: ${pyRepr(bad)} is not of type 'array'`);
    if (a.mode === 'details') return rows;
    return rows.map((r) => ({ ...pick(r, ENTITY_SUMMARY_COLS), link_created_at: r.link_created_at, link_created_by: r.link_created_by }));
  },
});

const getEntityTasks = defineTool({
  name: 'get_entity_tasks',
  family: 'C',
  description: 'Tasks linked to an entity, with optional status/priority filters and pagination.',
  params: [P.reqInt('entity_id'), P.ws, P.optStr('status'), P.optStr('priority'), P.limit, P.offset, P.mode],
  async run(a, ctx) {
    const bad = checkPagination(a.limit, a.offset) ?? checkMode(a.mode);
    if (bad) return bad;
    const { db } = openForRead(ctx, a.workspace_path);
    const env = await db.read(() => {
      if (!activeEntity(db, a.entity_id)) throw new ToolError(`Entity ${a.entity_id} not found or has been deleted`);
      const where = ['l.entity_id = ?', 't.deleted_at IS NULL', 'l.deleted_at IS NULL'];
      const params: unknown[] = [a.entity_id];
      if (a.status !== null) (where.push('t.status = ?'), params.push(a.status));
      if (a.priority !== null) (where.push('t.priority = ?'), params.push(a.priority));
      const from = `FROM tasks t JOIN task_entity_links l ON l.task_id = t.id WHERE ${where.join(' AND ')}`;
      const total = db.get<{ n: number }>(`SELECT COUNT(*) AS n ${from}`, ...params)!.n;
      const rows = db.all(
        `SELECT t.*, l.created_at AS link_created_at, l.created_by AS link_created_by ${from} ORDER BY l.created_at DESC, l.id ASC LIMIT ? OFFSET ?`,
        ...params, a.limit, a.offset);
      const items = a.mode === 'details' ? rows : rows.map((r) => ({ ...pick(r, TASK_SUMMARY_COLS), link_created_at: r.link_created_at, link_created_by: r.link_created_by }));
      return envelope(total, a.limit, a.offset, items);
    });
    return sizeCheck(env, LIST_SUGGESTION);
  },
});

export const UPDATE_ENTITY_PARAMS = [
  P.reqInt('entity_id'), P.ws, P.optStr('name'), P.optStr('identifier'), P.optStr('description'), P.opt('metadata', 'metadata'), P.optStr('tags'),
] as const;

/**
 * update_entity after WS/REG: description and model validation (before the existence check, as task-mcp),
 * then in one write transaction the lookup, `precondition` (compare-and-set variant), identifier clash, UPDATE.
 */
export function updateEntity(db: Connection, a: ArgsOf<typeof UPDATE_ENTITY_PARAMS>, updatedBy: string, precondition?: (current: Row) => void): Promise<unknown> {
  checkDescription(a.description, false);
  const meta = metadataText(a.metadata);
  const lines = nameLines(a.name, a.identifier, meta);
  if (lines.length) throw new PydanticError('EntityUpdate', lines);
  return db.write(() => {
    const cur = activeEntity(db, a.entity_id);
    if (!cur) throw new ToolError(`Entity ${a.entity_id} not found or has been deleted`);
    precondition?.(cur);
    if (a.identifier !== null && a.identifier !== cur.identifier) {
      const clash = db.get('SELECT id FROM entities WHERE entity_type = ? AND identifier = ? AND id != ? AND deleted_at IS NULL', cur.entity_type, a.identifier, a.entity_id);
      if (clash) throw new ToolError(`Entity of type '${cur.entity_type}' already exists with identifier: ${a.identifier}`);
    }
    const sets: string[] = [];
    const vals: unknown[] = [];
    const put = (col: string, v: unknown) => (sets.push(`${col} = ?`), vals.push(v));
    if (a.name !== null) put('name', a.name);
    if (a.identifier !== null) put('identifier', a.identifier);
    if (a.description !== null) put('description', a.description);
    if (meta) put('metadata', meta);
    if (a.tags !== null) put('tags', normalizeTags(a.tags));
    put('updated_at', nowIso());
    put('updated_by', updatedBy);
    db.run(`UPDATE entities SET ${sets.join(', ')} WHERE id = ?`, ...vals, a.entity_id);
    return db.get('SELECT * FROM entities WHERE id = ?', a.entity_id);
  });
}

const updateEntityTool = defineTool({
  name: 'update_entity',
  family: 'A',
  description: 'Update an entity. null leaves a field unchanged; updated_by is set to the MCP session id.',
  params: UPDATE_ENTITY_PARAMS,
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return updateEntity(db, a, ctx.sessionId);
  },
});

export const DELETE_ENTITY_PARAMS = [P.reqInt('entity_id'), P.ws] as const;

/** delete_entity after WS/REG, in one write transaction with the optional precondition. */
export function deleteEntity(db: Connection, entityId: number, precondition?: (current: Row) => void): Promise<unknown> {
  return db.write(() => {
    const cur = activeEntity(db, entityId);
    if (!cur) throw new ToolError(`Entity ${entityId} not found or already deleted`);
    precondition?.(cur);
    const now = nowIso();
    db.run('UPDATE entities SET deleted_at = ? WHERE id = ?', now, entityId);
    const links = db.run('UPDATE task_entity_links SET deleted_at = ? WHERE entity_id = ? AND deleted_at IS NULL', now, entityId).changes;
    return { success: true, entity_id: entityId, deleted_links: links };
  });
}

const deleteEntityTool = defineTool({
  name: 'delete_entity',
  family: 'A',
  description: 'Soft-delete an entity and its active links.',
  params: DELETE_ENTITY_PARAMS,
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return deleteEntity(db, a.entity_id);
  },
});

function entityList(db: Connection, where: string[], params: unknown[], a: { mode: string; limit: number; offset: number }) {
  const cond = where.join(' AND ');
  return db.read(() => {
    const total = db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM entities WHERE ${cond}`, ...params)!.n;
    const sel = a.mode === 'summary' ? `SELECT ${ENTITY_SUMMARY_COLS.join(', ')} FROM entities` : 'SELECT * FROM entities';
    const items = db.all(`${sel} WHERE ${cond} ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?`, ...params, a.limit, a.offset);
    return envelope(total, a.limit, a.offset, items);
  });
}

const listEntities = defineTool({
  name: 'list_entities',
  family: 'C',
  description: 'List entities with optional entity_type and tags (OR of words) filters, with pagination.',
  params: [P.ws, P.optStr('entity_type'), P.optStr('tags'), P.limit, P.offset, P.mode],
  async run(a, ctx) {
    const bad = checkPagination(a.limit, a.offset) ?? checkMode(a.mode);
    if (bad) return bad;
    const { db } = openForRead(ctx, a.workspace_path);
    const where = ['deleted_at IS NULL'];
    const params: unknown[] = [];
    if (a.entity_type) (where.push('entity_type = ?'), params.push(a.entity_type));
    if (a.tags) {
      const words = pySplit(a.tags);
      if (words.length) {
        where.push(`(${words.map(() => 'tags LIKE ?').join(' OR ')})`);
        params.push(...words.map((w) => `%${w}%`));
      }
    }
    return sizeCheck(await entityList(db, where, params, a), LIST_SUGGESTION);
  },
});

const searchEntities = defineTool({
  name: 'search_entities',
  family: 'C',
  description: 'Search active entities by name or identifier (SQL LIKE), with pagination.',
  params: [P.reqStr('search_term'), P.ws, P.optStr('entity_type'), P.limit, P.offset, P.mode],
  async run(a, ctx) {
    const bad = checkPagination(a.limit, a.offset) ?? checkMode(a.mode);
    if (bad) return bad;
    const { db } = openForRead(ctx, a.workspace_path);
    const like = likeFilter(a.search_term, ['name', 'identifier']);
    const where = ['deleted_at IS NULL', like.sql];
    const params = [...like.params];
    if (a.entity_type) (where.push('entity_type = ?'), params.push(a.entity_type));
    return sizeCheck(await entityList(db, where, params, a), LIST_SUGGESTION);
  },
});

export const entityTools = [
  getEntity, createEntity, linkEntityToTask, getTaskEntities, getEntityTasks, updateEntityTool, deleteEntityTool, listEntities, searchEntities,
];
