/**
 * task-mcp's DDL, statement for statement (contract §2). The text (whitespace included) is what task-mcp
 * executes, so `sqlite_master.sql` comes out byte-identical; the ALTERs run after the CREATEs so the two late
 * columns are physically last, which decides `SELECT *` key order.
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

/**
 * Our own speed-ups (not part of task-mcp's schema; the distinct `idx_tvapi_` prefix marks them).
 * They serve `WHERE deleted_at IS NULL ORDER BY created_at DESC, id ASC LIMIT n` without a full sort on
 * large projects. Tables and columns stay exactly the contract's; task-mcp ignores extra indexes.
 */
export const TVAPI_INDEXES = [
  'CREATE INDEX IF NOT EXISTS idx_tvapi_tasks_live_created ON tasks(deleted_at, created_at DESC, id)',
  'CREATE INDEX IF NOT EXISTS idx_tvapi_entities_live_created ON entities(deleted_at, created_at DESC, id)',
];

function columns(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name));
}

/** task-mcp's init_master_schema. */
export function initMasterSchema(db: Database.Database): void {
  for (const sql of MASTER_DDL) db.exec(sql);
}

/** task-mcp's init_schema, in its order (§2.2), plus our extra indexes at the end. */
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
