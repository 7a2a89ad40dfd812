/**
 * Data compatibility: a database written the way Python task-mcp writes it (incl. legacy DDL) is read and
 * written back; a database we create matches the contract schema; Python text/path helpers; tools/list.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_TOOL_NAMES, connectInMemory, projectIdFor, resolveWorkspacePath, type InMemoryConnection } from '../../src/taskmcp/index.js';
import { pyJsonError } from '../../src/taskmcp/pyjson.js';
import { normalizeTags, pyFloatRepr, pyJsonDumps, pyRepr } from '../../src/taskmcp/pytext.js';
import { err, ok, tempHome } from '../helpers/taskmcp-harness.js';

const CONTRACT_COLUMNS = {
  tasks: ['id', 'title', 'description', 'status', 'priority', 'parent_task_id', 'depends_on', 'tags', 'blocker_reason', 'file_references',
    'created_by', 'created_at', 'updated_at', 'completed_at', 'deleted_at', 'workspace_metadata'],
  entities: ['id', 'entity_type', 'name', 'identifier', 'description', 'metadata', 'tags', 'created_by', 'created_at', 'updated_at', 'deleted_at', 'updated_by'],
  task_entity_links: ['id', 'task_id', 'entity_id', 'created_by', 'created_at', 'deleted_at'],
};

/** sqlite_master text as task-mcp's init_schema leaves it (SQLite drops IF NOT EXISTS; ALTER ADD COLUMN
 *  splices the column in after the last column definition). */
const CONTRACT_TASKS_SQL = `CREATE TABLE tasks (
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
            deleted_at TIMESTAMP, workspace_metadata TEXT,
            FOREIGN KEY (parent_task_id) REFERENCES tasks(id)
        )`;

const CONTRACT_TOOLS: Record<string, { required: string[]; optional: string[] }> = {
  list_tasks: { required: ['workspace_path'], optional: ['status', 'priority', 'parent_task_id', 'tags', 'limit', 'offset', 'mode'] },
  create_task: { required: ['title', 'workspace_path'], optional: ['description', 'status', 'priority', 'parent_task_id', 'depends_on', 'tags', 'file_references', 'created_by'] },
  get_task: { required: ['task_id', 'workspace_path'], optional: [] },
  update_task: { required: ['task_id', 'workspace_path'], optional: ['title', 'description', 'status', 'priority', 'parent_task_id', 'depends_on', 'tags', 'blocker_reason', 'file_references'] },
  search_tasks: { required: ['search_term', 'workspace_path'], optional: ['limit', 'offset', 'mode'] },
  list_projects: { required: [], optional: [] },
  get_project_info: { required: ['workspace_path'], optional: [] },
  set_project_name: { required: ['workspace_path', 'friendly_name'], optional: [] },
  get_usage_stats: { required: ['workspace_path'], optional: ['days', 'tool_name'] },
  get_task_tree: { required: ['task_id', 'workspace_path'], optional: ['mode'] },
  delete_task: { required: ['task_id', 'workspace_path'], optional: ['cascade'] },
  cleanup_deleted_tasks: { required: ['workspace_path'], optional: ['days'] },
  get_entity: { required: ['entity_id', 'workspace_path'], optional: [] },
  create_entity: { required: ['entity_type', 'name', 'workspace_path'], optional: ['identifier', 'description', 'metadata', 'tags', 'created_by'] },
  link_entity_to_task: { required: ['task_id', 'entity_id', 'workspace_path'], optional: ['created_by'] },
  get_task_entities: { required: ['task_id', 'workspace_path'], optional: ['mode'] },
  get_entity_tasks: { required: ['entity_id', 'workspace_path'], optional: ['status', 'priority', 'limit', 'offset', 'mode'] },
  update_entity: { required: ['entity_id', 'workspace_path'], optional: ['name', 'identifier', 'description', 'metadata', 'tags'] },
  delete_entity: { required: ['entity_id', 'workspace_path'], optional: [] },
  list_entities: { required: ['workspace_path'], optional: ['entity_type', 'tags', 'limit', 'offset', 'mode'] },
  search_entities: { required: ['search_term', 'workspace_path'], optional: ['entity_type', 'limit', 'offset', 'mode'] },
  audit_workspace_integrity: { required: ['workspace_path'], optional: ['include_deleted', 'check_git_repo'] },
};

let home: ReturnType<typeof tempHome>;
let conn: InMemoryConnection;
const store = () => path.join(home.dir, 'store');

beforeAll(async () => {
  home = tempHome('taskmcp-compat-');
  conn = await connectInMemory({ home: store() });
});
afterAll(async () => {
  await conn.close();
  home.cleanup();
});

describe('tools/list', () => {
  it('lists every contract tool with the same parameters and required-ness, plus the extensions', async () => {
    const { tools } = await conn.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const [name, spec] of Object.entries(CONTRACT_TOOLS)) {
      const t = byName.get(name);
      expect(t, `missing tool ${name}`).toBeDefined();
      const props = Object.keys(t!.inputSchema.properties ?? {});
      expect(props.sort(), name).toEqual([...spec.required, ...spec.optional].sort());
      expect([...(t!.inputSchema.required ?? [])].sort(), name).toEqual([...spec.required].sort());
      expect(t!._meta).toEqual({ _fastmcp: { tags: [] } });
      expect(t!.outputSchema?.type).toBe('object');
    }
    expect(tools.map((t) => t.name).filter((n) => !(n in CONTRACT_TOOLS)).sort()).toEqual([...EXTENSION_TOOL_NAMES].sort());
    expect(EXTENSION_TOOL_NAMES).toEqual(expect.arrayContaining(['get_blocked_tasks', 'get_next_tasks', 'get_task_dependents', 'list_tags']));
    const lt = byName.get('list_tasks')!;
    expect((lt.inputSchema.properties as any).limit).toEqual({ default: 100, type: 'integer' });
    expect((lt.inputSchema.properties as any).parent_task_id).toEqual({ default: null, anyOf: [{ type: 'integer' }, { type: 'null' }] });
    expect(byName.get('list_projects')!.outputSchema).toMatchObject({ required: ['result'], 'x-fastmcp-wrap-result': true });
  });

  it('prints the contract tools (and the first four extensions) byte for byte as recorded', async () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/tools-list.json', import.meta.url), 'utf8'));
    const { tools } = await conn.client.listTools();
    const recorded = new Set(fixture.tools.map((t: { name: string }) => t.name));
    expect(JSON.stringify(tools.filter((t) => recorded.has(t.name)))).toBe(JSON.stringify(fixture.tools));
    expect(conn.client.getServerVersion()).toEqual(fixture.serverInfo);
    expect(conn.client.getServerCapabilities()).toEqual(fixture.capabilities);
  });
});

describe('python semantics', () => {
  it('json.dumps, repr, float repr, tags', () => {
    expect(pyJsonDumps({ a: [1, 2], b: 'é😀', c: null, d: 1.5 })).toBe('{"a": [1, 2], "b": "\\u00e9\\ud83d\\ude00", "c": null, "d": 1.5}');
    expect(pyFloatRepr(75)).toBe('75.0');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(0.00001)).toBe('1e-05');
    expect(pyRepr({ m: "it's", n: [true, null] })).toBe('{\'m\': "it\'s", \'n\': [True, None]}');
    expect(normalizeTags('  Python\x1c Django\u0085REST \ufeffX ')).toBe('python django rest \ufeffx');
  });

  it("json.loads error messages", () => {
    expect(pyJsonError('42')).toBeNull();
    expect(pyJsonError('[1, NaN, -Infinity]')).toBeNull();
    expect(pyJsonError('')).toBe('Expecting value: line 1 column 1 (char 0)');
    expect(pyJsonError('{"a" 1}')).toBe("Expecting ':' delimiter: line 1 column 6 (char 5)");
    expect(pyJsonError('[1,]')).toBe('Expecting value: line 1 column 4 (char 3)');
    expect(pyJsonError('{"a": 1} x')).toBe('Extra data: line 1 column 10 (char 9)');
    expect(pyJsonError('"abc')).toBe('Unterminated string starting at: line 1 column 1 (char 0)');
    expect(pyJsonError('[1\n 2]')).toBe("Expecting ',' delimiter: line 2 column 2 (char 4)");
  });

  it('workspace paths follow os.path.realpath (physical ..), keep missing tails, hash like Python', () => {
    const base = path.join(home.dir, 'paths');
    mkdirSync(path.join(base, 'a', 'b'), { recursive: true });
    mkdirSync(path.join(base, 'c'), { recursive: true });
    symlinkSync(path.join(base, 'a', 'b'), path.join(base, 'c', 'lnk'));
    expect(resolveWorkspacePath(`${base}/c/lnk/..`)).toBe(`${base}/a`);
    expect(resolveWorkspacePath(`${base}//c/./lnk/missing/x/`)).toBe(`${base}/a/b/missing/x`);
    expect(resolveWorkspacePath('/nonexistent/dir/')).toBe('/nonexistent/dir');
    expect(resolveWorkspacePath('~/x')).toBe(path.join(process.cwd(), '~/x'));
    expect(resolveWorkspacePath(' /a ')).toBe(path.join(process.cwd(), ' /a '));
    expect(projectIdFor('/home/alice/projects/demo')).toBe('f3f7c2d9');
  });
});

describe('storage compatibility', () => {
  it('creates master.db and project DB with the contract tables, columns and DDL text', async () => {
    const ws = path.join(home.dir, 'fresh-ws');
    await ok(conn.client, 'create_task', { title: 'x', workspace_path: ws });
    const db = new Database(path.join(store(), 'databases', `project_${projectIdFor(ws)}.db`), { readonly: true });
    for (const [table, cols] of Object.entries(CONTRACT_COLUMNS)) {
      expect((db.prepare(`PRAGMA table_info(${table})`).all() as any[]).map((r) => r.name)).toEqual(cols);
    }
    const sql = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as any).sql;
    expect(sql('tasks')).toBe(CONTRACT_TASKS_SQL);
    expect(sql('entities')).toMatch(/^CREATE TABLE entities \(\n {12}id INTEGER PRIMARY KEY AUTOINCREMENT,\n[\s\S]*deleted_at TIMESTAMP\n {8}, updated_by TEXT\)$/);
    expect(sql('idx_entity_unique')).toBe('CREATE UNIQUE INDEX idx_entity_unique\n        ON entities(entity_type, identifier)\n        WHERE deleted_at IS NULL AND identifier IS NOT NULL\n    ');
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_autoindex%' ORDER BY rowid").all() as any[]).map((r) => r.name);
    expect(names.filter((n) => !n.startsWith('idx_tvapi_'))).toEqual([
      'tasks', 'sqlite_sequence', 'idx_status', 'idx_parent', 'idx_deleted', 'idx_tags', 'entities', 'idx_entity_unique',
      'idx_entity_type', 'idx_entity_deleted', 'idx_entity_tags', 'task_entity_links', 'idx_link_task', 'idx_link_entity', 'idx_link_deleted']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const master = new Database(path.join(store(), 'master.db'), { readonly: true });
    expect((master.prepare('PRAGMA table_info(projects)').all() as any[]).map((r) => r.name)).toEqual(['id', 'workspace_path', 'friendly_name', 'created_at', 'last_accessed']);
    expect((master.prepare('PRAGMA table_info(tool_usage)').all() as any[]).map((r) => r.name)).toEqual(['id', 'tool_name', 'workspace_id', 'timestamp', 'success']);
    expect(master.prepare('SELECT COUNT(*) AS n FROM tool_usage').get()).toEqual({ n: 0 }); // no usage rows over MCP (docs/task-mcp-compatibility.md, "Conventions")
    master.close();
  });

  it('reads and writes a legacy database written the Python way', async () => {
    const ws = path.join(home.dir, 'legacy-ws');
    const id = projectIdFor(ws);
    mkdirSync(path.join(store(), 'databases'), { recursive: true });
    const db = new Database(path.join(store(), 'databases', `project_${id}.db`));
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE tasks (
      id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, description TEXT,
      status TEXT NOT NULL CHECK(status IN ('todo', 'in_progress', 'blocked', 'done', 'cancelled')),
      priority TEXT DEFAULT 'medium' CHECK(priority IN ('low', 'medium', 'high')),
      parent_task_id INTEGER, depends_on TEXT, tags TEXT, blocker_reason TEXT, file_references TEXT, created_by TEXT,
      created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
      completed_at TIMESTAMP, deleted_at TIMESTAMP, FOREIGN KEY (parent_task_id) REFERENCES tasks(id))`);
    db.exec(`CREATE TABLE entities (
      id INTEGER PRIMARY KEY AUTOINCREMENT, entity_type TEXT NOT NULL CHECK(entity_type IN ('file', 'other')), name TEXT NOT NULL,
      identifier TEXT, description TEXT, metadata TEXT, tags TEXT, created_by TEXT,
      created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, deleted_at TIMESTAMP)`);
    const ins = db.prepare('INSERT INTO tasks (title, status, priority, depends_on, tags, file_references, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    ins.run('legacy utc', 'done', 'high', null, 'python backend', '["src/a.py", "/other/b.py"]', null, '2024-01-05 10:00:00', '2024-01-05 10:00:00');
    ins.run('python iso', 'todo', 'medium', '[1]', 'api', null, 'sess-1', '2024-01-05T10:00:00.123456', '2024-01-05T10:00:00.123456');
    ins.run('same second utc', 'todo', 'low', null, null, null, null, '2024-01-05 10:00:00', '2024-01-05 10:00:00');
    db.prepare('INSERT INTO entities (entity_type, name, identifier, metadata, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('file', 'a', 'src/a.py', '{"k": "\\u00e9"}', 'code', '2024-01-05T10:00:00', '2024-01-05T10:00:00');
    db.close();

    const list = await ok(conn.client, 'list_tasks', { workspace_path: ws, mode: 'details' });
    expect(list.items.map((t: any) => t.title)).toEqual(['python iso', 'legacy utc', 'same second utc']);
    expect(list.items[1]).toMatchObject({ file_references: '["src/a.py", "/other/b.py"]', workspace_metadata: null, created_at: '2024-01-05 10:00:00' });
    expect(Object.keys(list.items[0])).toEqual(CONTRACT_COLUMNS.tasks);
    expect((await ok(conn.client, 'get_next_tasks', { workspace_path: ws })).map((t: any) => t.title)).toEqual(['python iso', 'same second utc']);
    await ok(conn.client, 'update_task', { task_id: 2, workspace_path: ws, status: 'in_progress' });
    expect(await ok(conn.client, 'update_task', { task_id: 2, workspace_path: ws, status: 'done' })).toMatchObject({ status: 'done', depends_on: '[1]' });
    expect(await err(conn.client, 'update_task', { task_id: 3, workspace_path: ws, status: 'to_be_deleted' })).toBe(
      "Error calling tool 'update_task': CHECK constraint failed: status IN ('todo', 'in_progress', 'blocked', 'done', 'cancelled')");
    const e = await ok(conn.client, 'update_entity', { entity_id: 1, workspace_path: ws, tags: 'X' });
    expect(Object.keys(e)).toEqual(CONTRACT_COLUMNS.entities);
    expect(e).toMatchObject({ metadata: '{"k": "\\u00e9"}', tags: 'x' });
    const t = await ok(conn.client, 'create_task', { title: 'new', workspace_path: ws, depends_on: [1, 2] });
    expect(t.depends_on).toBe('[1, 2]');
    expect(await ok(conn.client, 'get_project_info', { workspace_path: ws })).toMatchObject({ total_tasks: 4, by_status: { done: 2, todo: 2 } });
    const check = new Database(path.join(store(), 'databases', `project_${id}.db`), { readonly: true });
    const cols = (table: string) => (check.prepare(`PRAGMA table_info(${table})`).all() as any[]).map((r) => r.name);
    expect(cols('tasks')).toEqual(CONTRACT_COLUMNS.tasks);
    expect(cols('entities')).toEqual(CONTRACT_COLUMNS.entities);
    expect((check.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get('tasks') as any).sql).toContain("'cancelled')),");
    check.close();
  });
});
