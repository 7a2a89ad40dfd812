/**
 * task-mcp's DDL, statement for statement (docs/task-mcp-compatibility.md, "Schema and migrations"). The
 * text (whitespace included) is what task-mcp executes, so `sqlite_master.sql` comes out byte-identical; the
 * ALTERs run after the CREATEs so the two late columns are physically last, which decides `SELECT *` key
 * order. Our own indexes (prefix `idx_tvapi_`) come last.
 */
import type Database from 'better-sqlite3';

export const MASTER_DDL: string[] = [
  `
        CREATE TABLE IF NOT EXISTS projects (
            id TEXT PRIMARY KEY,
            workspace_path TEXT UNIQUE NOT NULL,
            friendly_name TEXT,
            created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
            last_accessed TIMESTAMP DEFAULT CURRENT_TIMESTAMP
        )
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_last_accessed ON projects(last_accessed)
    `,
  `
        CREATE TABLE IF NOT EXISTS tool_usage (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tool_name TEXT NOT NULL,
            workspace_id TEXT NOT NULL,
            timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
            success BOOLEAN NOT NULL DEFAULT 1,
            FOREIGN KEY (workspace_id) REFERENCES projects(id)
        )
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_tool_usage_timestamp ON tool_usage(timestamp)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_tool_usage_tool_name ON tool_usage(tool_name)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_tool_usage_workspace ON tool_usage(workspace_id)
    `,
];

export const TASKS_DDL = `
        CREATE TABLE IF NOT EXISTS tasks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            description TEXT,
            status TEXT NOT NULL CHECK(status IN ('todo', 'in_progress', 'blocked', 'done', 'cancelled', 'to_be_deleted')),
            priority TEXT DEFAULT 'medium' CHECK(priority IN ('low', 'medium', 'high')),
            parent_task_id INTEGER,
            depends_on TEXT,
            tags TEXT,
            blocker_reason TEXT,
            file_references TEXT,
            created_by TEXT,
            created_at TIMESTAMP,
            updated_at TIMESTAMP,
            completed_at TIMESTAMP,
            deleted_at TIMESTAMP,
            FOREIGN KEY (parent_task_id) REFERENCES tasks(id)
        )
    `;

const TASK_INDEXES = [
  `
        CREATE INDEX IF NOT EXISTS idx_status ON tasks(status)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_parent ON tasks(parent_task_id)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_deleted ON tasks(deleted_at)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_tags ON tasks(tags)
    `,
];

export const ENTITIES_DDL = `
        CREATE TABLE IF NOT EXISTS entities (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            entity_type TEXT NOT NULL CHECK(entity_type IN ('file', 'other')),
            name TEXT NOT NULL,
            identifier TEXT,
            description TEXT,
            metadata TEXT,
            tags TEXT,
            created_by TEXT,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            deleted_at TIMESTAMP
        )
    `;

const ENTITY_UNIQUE = `
        CREATE UNIQUE INDEX IF NOT EXISTS idx_entity_unique
        ON entities(entity_type, identifier)
        WHERE deleted_at IS NULL AND identifier IS NOT NULL
    `;

const ALTER_ENTITIES = `
            ALTER TABLE entities ADD COLUMN updated_by TEXT
        `;
const ALTER_TASKS = `
            ALTER TABLE tasks ADD COLUMN workspace_metadata TEXT
        `;

const ENTITY_INDEXES = [
  `
        CREATE INDEX IF NOT EXISTS idx_entity_type ON entities(entity_type)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_entity_deleted ON entities(deleted_at)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_entity_tags ON entities(tags)
    `,
];

export const LINKS_DDL = `
        CREATE TABLE IF NOT EXISTS task_entity_links (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id INTEGER NOT NULL,
            entity_id INTEGER NOT NULL,
            created_by TEXT,
            created_at TIMESTAMP NOT NULL,
            deleted_at TIMESTAMP,
            FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE,
            FOREIGN KEY (entity_id) REFERENCES entities(id) ON DELETE CASCADE,
            UNIQUE(task_id, entity_id)
        )
    `;

const LINK_INDEXES = [
  `
        CREATE INDEX IF NOT EXISTS idx_link_task ON task_entity_links(task_id)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_link_entity ON task_entity_links(entity_id)
    `,
  `
        CREATE INDEX IF NOT EXISTS idx_link_deleted ON task_entity_links(deleted_at)
    `,
];

/** Sort ranks used by query_tasks; the index expressions below must be the same text to be usable. */
export const PRIORITY_RANK = "(CASE priority WHEN 'low' THEN 0 WHEN 'high' THEN 2 ELSE 1 END)";
export const STATUS_RANK =
  "(CASE status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'blocked' THEN 2 WHEN 'done' THEN 3 WHEN 'cancelled' THEN 4 WHEN 'to_be_deleted' THEN 5 ELSE 6 END)";

/**
 * Our own speed-ups (not part of task-mcp's schema; the distinct `idx_tvapi_` prefix marks them). Tables
 * and columns stay exactly task-mcp's; task-mcp ignores extra indexes. Each serves one page order of
 * list_tasks / query_tasks (`WHERE deleted_at IS NULL [AND status = ?] ORDER BY … LIMIT n`) without a
 * sort of the whole project. They lead with deleted_at: the databases have no statistics, and SQLite then
 * prefers an equality on deleted_at (idx_deleted) plus a sort over a partial index scanned in order.
 * Ascending timestamp orders put NULLs last through an `x IS NULL` term. Each index costs every insert
 * (about 0.08 ms at 10,000 tasks), so orders outside this list (title, completed_at) sort instead.
 */
export const TVAPI_INDEXES = [
  // created_at DESC, id: the default order
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_created ON tasks(deleted_at, created_at DESC, id)',
  'CREATE INDEX IF NOT EXISTS idx_tvapi_entities_live_created ON entities(deleted_at, created_at DESC, id)',
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_status_created ON tasks(deleted_at, status, created_at DESC, id)',
  // -priority, created_at
  `CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_priority_created ON tasks(deleted_at, ${PRIORITY_RANK} DESC, created_at IS NULL, created_at, id)`,
  `CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_status_priority_created ON tasks(deleted_at, status, ${PRIORITY_RANK} DESC, created_at IS NULL, created_at, id)`,
  // -updated_at
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_updated_desc ON tasks(deleted_at, updated_at DESC, id)',
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_status_updated_desc ON tasks(deleted_at, status, updated_at DESC, id)',
  // updated_at (NULLs last)
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_updated_asc ON tasks(deleted_at, updated_at IS NULL, updated_at, id)',
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_status_updated_asc ON tasks(deleted_at, status, updated_at IS NULL, updated_at, id)',
  // status; with a single-status filter the rank is constant and the order is id
  `CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_status_rank ON tasks(deleted_at, ${STATUS_RANK}, id)`,
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_status_id ON tasks(deleted_at, status, id)',
];

const PROJECT_OBJECTS = [
  'tasks', 'idx_status', 'idx_parent', 'idx_deleted', 'idx_tags', 'entities', 'idx_entity_unique', 'idx_entity_type',
  'idx_entity_deleted', 'idx_entity_tags', 'task_entity_links', 'idx_link_task', 'idx_link_entity', 'idx_link_deleted',
  ...TVAPI_INDEXES.map((sql) => /IF NOT EXISTS (\w+)/.exec(sql)![1]),
];
const MASTER_OBJECTS = ['projects', 'idx_last_accessed', 'tool_usage', 'idx_tool_usage_timestamp', 'idx_tool_usage_tool_name', 'idx_tool_usage_workspace'];

function hasObjects(db: Database.Database, names: string[]): boolean {
  const present = new Set(db.prepare('SELECT name FROM sqlite_master').pluck().all() as string[]);
  return names.every((n) => present.has(n));
}

/** True when opening needs no set-up write (every table, index and late column is there). */
export function projectSchemaComplete(db: Database.Database): boolean {
  return hasObjects(db, PROJECT_OBJECTS) && columns(db, 'entities').has('updated_by') && columns(db, 'tasks').has('workspace_metadata');
}

export function masterSchemaComplete(db: Database.Database): boolean {
  return hasObjects(db, MASTER_OBJECTS);
}

function columns(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name));
}

/** task-mcp's init_master_schema. */
export function initMasterSchema(db: Database.Database): void {
  for (const sql of MASTER_DDL) db.exec(sql);
}

/** task-mcp's init_schema, in its order, plus our extra indexes at the end. */
export function initProjectSchema(db: Database.Database): void {
  db.exec(TASKS_DDL);
  for (const sql of TASK_INDEXES) db.exec(sql);
  db.exec(ENTITIES_DDL);
  db.exec(ENTITY_UNIQUE);
  if (!columns(db, 'entities').has('updated_by')) db.exec(ALTER_ENTITIES);
  if (!columns(db, 'tasks').has('workspace_metadata')) db.exec(ALTER_TASKS);
  for (const sql of ENTITY_INDEXES) db.exec(sql);
  db.exec(LINKS_DDL);
  for (const sql of LINK_INDEXES) db.exec(sql);
  for (const sql of TVAPI_INDEXES) db.exec(sql);
}
