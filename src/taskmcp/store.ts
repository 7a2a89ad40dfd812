/**
 * SQLite connections of one storage root. Unlike task-mcp (a fresh connection per call) we keep connections
 * open, with prepared statements cached, and guard them against what long-lived connections meet:
 * - project connections are bounded (an LRU; evicted ones are closed once no call uses them);
 * - a database file that was deleted or replaced is noticed (stat: missing, or another dev/ino) before a
 *   cached connection is used, and the connection is reopened, so writes never go into an unlinked file;
 * - a connection whose statement failed with a file-level error (read-only, cannot open, I/O, corrupt) is
 *   dropped so the next call reopens it and recovers once the file is healthy again.
 * Reads never create files: `project(id, 'read')` answers null for a missing database.
 * Several processes may share the files: every write is a short BEGIN IMMEDIATE transaction, and
 * SQLITE_BUSY (which can bypass busy_timeout, e.g. on deadlock avoidance) is retried with backoff.
 * See docs/task-mcp-compatibility.md, "Storage".
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { masterDbPath, projectDbPath } from './paths.js';
import { initMasterSchema, initProjectSchema, projectSchemaComplete, masterSchemaComplete } from './schema.js';

export type Db = Database.Database;
export type Row = Record<string, unknown>;

const MAX_ATTEMPTS = 12;
const BUSY_TIMEOUT_MS = 5000;

function sqliteCode(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

function isBusy(err: unknown): boolean {
  const code = sqliteCode(err);
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** Errors that say the file, not the statement, is the problem: the connection is reopened next time. */
export function isFileFault(err: unknown): boolean {
  const code = sqliteCode(err);
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CORRUPT')
    || code === 'SQLITE_NOTADB';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => Math.min(250, 5 * 2 ** attempt) * (0.5 + Math.random());

/** Synchronous retry for connection set-up (runs once per file; waits are short and rare). */
function retrySync<T>(fn: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || attempt >= MAX_ATTEMPTS) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, backoff(attempt));
    }
  }
}

/** Bound on memoized results per connection (cleared wholesale when exceeded). */
const MEMO_MAX = 256;

/** A derived structure kept up to date by this connection's own writes (see Connection.incremental). */
export interface IncrementalSpec<T> {
  build(): T;
  /** Apply this connection's committed changes to the given task ids. */
  patch(value: T, changedTaskIds: ReadonlySet<number>): void;
}

interface IncrementalEntry {
  version: string;
  value: unknown;
  spec: IncrementalSpec<unknown>;
}

export type Synchronous = 'FULL' | 'NORMAL';

export class Connection {
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly memos = new Map<string, { version: string; value: unknown }>();
  private readonly incrementals = new Map<string, IncrementalEntry>();
  /** Task ids the running write transaction changed (see noteTaskChange). */
  private changedTasks: Set<number> | null = null;
  /** Calls using this connection across an await (retry waits); eviction closes only when 0. */
  private pins = 0;
  private retired = false;

  constructor(
    readonly db: Db,
    /** dev:ino of the file when opened ('' for in-memory). */
    readonly identity: string,
    private readonly onFault: (c: Connection) => void = () => undefined,
  ) {}

  get open(): boolean {
    return this.db.open;
  }

  /** Close now, or as soon as the calls that pinned it are done. */
  retire(): void {
    this.retired = true;
    if (this.pins === 0 && this.db.open) this.db.close();
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (isFileFault(err)) this.onFault(this);
      throw err;
    }
  }

  /** Prepared once per connection. Plucking statements are cached apart: pluck() mutates a statement. */
  private stmt(sql: string, pluck = false): Database.Statement {
    const key = pluck ? `\0${sql}` : sql;
    let s = this.stmts.get(key);
    if (!s) {
      s = this.db.prepare(sql);
      if (pluck) s.pluck();
      this.stmts.set(key, s);
    }
    return s;
  }

  /** `PRAGMA data_version` (changes when another connection, in any process, commits) + total_changes(). */
  version(): string {
    return this.guard(() => `${this.stmt('PRAGMA data_version', true).get() as number}:${this.stmt('SELECT total_changes()', true).get() as number}`);
  }

  /**
   * Memoizes a whole-table aggregate (counts, a page total) until the database changes: the version is
   * reused only while no write has been committed anywhere. Call it inside read() so the version and the
   * data are one snapshot. These aggregates are full scans on large projects.
   */
  memo<T>(key: string, compute: () => T): T {
    const version = this.version();
    const hit = this.memos.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = compute();
    if (this.memos.size >= MEMO_MAX) this.memos.clear();
    this.memos.set(key, { version, value });
    return value;
  }

  /**
   * Like memo(), but this connection's own writes patch the value instead of invalidating it: a write
   * transaction records the task ids it changed (noteTaskChange) and, when the value was current before the
   * write, patch() brings it to the version after. A commit by any other connection still forces build().
   */
  incremental<T>(key: string, spec: IncrementalSpec<T>): T {
    const version = this.version();
    const hit = this.incrementals.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = spec.build();
    this.incrementals.set(key, { version, value, spec: spec as IncrementalSpec<unknown> });
    return value;
  }

  /** Inside write(): these tasks were inserted, changed or deleted. Every task write must report its ids. */
  noteTaskChange(...ids: number[]): void {
    if (!this.changedTasks) throw new Error('noteTaskChange outside a write transaction');
    for (const id of ids) this.changedTasks.add(id);
  }

  all<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.guard(() => this.stmt(sql).all(...params) as T[]);
  }

  get<T = Row>(sql: string, ...params: unknown[]): T | undefined {
    return this.guard(() => this.stmt(sql).get(...params) as T | undefined);
  }

  /** First column of every row. */
  column<T = unknown>(sql: string, ...params: unknown[]): T[] {
    return this.guard(() => this.stmt(sql, true).all(...params) as T[]);
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.guard(() => this.stmt(sql).run(...params));
  }

  /** One autocommit statement that does not wait for the lock: false when another connection holds it. */
  tryWriteNow(sql: string, ...params: unknown[]): boolean {
    this.db.pragma('busy_timeout = 0');
    try {
      this.run(sql, ...params);
      return true;
    } catch (err) {
      if (isBusy(err)) return false;
      throw err;
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /** Retries SQLITE_BUSY with backoff, yielding to the event loop between attempts. */
  private async withRetry<T>(fn: () => T): Promise<T> {
    this.pins++;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return this.guard(fn);
        } catch (err) {
          if (!isBusy(err) || attempt >= MAX_ATTEMPTS || !this.db.open) throw err;
          await sleep(backoff(attempt));
        }
      }
    } finally {
      this.pins--;
      if (this.retired && this.pins === 0 && this.db.open) this.db.close();
    }
  }

  /**
   * A short write transaction (BEGIN IMMEDIATE: take the write lock up front, no upgrade deadlocks).
   * Incremental values are patched inside it, while no other connection can commit.
   */
  write<T>(fn: () => T): Promise<T> {
    return this.withRetry(() => {
      let patched = false;
      try {
        return this.db.transaction(() => {
          const before = this.incrementals.size ? this.version() : '';
          this.changedTasks = new Set();
          const result = fn();
          patched = this.patchIncrementals(before, this.changedTasks);
          return result;
        }).immediate();
      } catch (err) {
        // The commit failed after a patch: the patched values describe a state that never was.
        if (patched) this.incrementals.clear();
        throw err;
      } finally {
        this.changedTasks = null;
      }
    });
  }

  private patchIncrementals(before: string, changed: Set<number>): boolean {
    if (!this.incrementals.size) return false;
    const after = this.version();
    for (const entry of this.incrementals.values()) {
      // Current when the write began (nothing else committed since it was built): patch. Otherwise stale.
      if (entry.version !== before) continue;
      entry.spec.patch(entry.value, changed);
      entry.version = after;
    }
    return true;
  }

  /** A consistent multi-statement read (deferred transaction; WAL readers never block writers). */
  read<T>(fn: () => T): Promise<T> {
    return this.withRetry(() => this.db.transaction(fn).deferred());
  }
}

interface OpenOptions {
  synchronous: Synchronous;
  /** Returns true when the schema is already complete (no write needed on open). */
  complete(db: Db): boolean;
  init(db: Db): void;
}

function fileIdentity(file: string): string | null {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${st.dev}:${st.ino}` : null;
}

function openDb(file: string, options: OpenOptions, onFault: (c: Connection) => void): Connection {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    retrySync(() => db.pragma('journal_mode = WAL'));
    // better-sqlite3 gives WAL connections NORMAL by default; task-mcp (Python's sqlite3) runs FULL.
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('foreign_keys = ON');
    // task-mcp runs its idempotent set-up on every connection; we skip the write lock when nothing is missing.
    if (!options.complete(db)) retrySync(() => db.transaction(() => options.init(db)).immediate());
  } catch (err) {
    db.close();
    throw err;
  }
  return new Connection(db, fileIdentity(file) ?? '', onFault);
}

export interface StoreOptions {
  /** Directory holding master.db and databases/. */
  home: string;
  /** Open project connections kept (least recently used ones are closed). Default 64. */
  maxProjectConnections?: number;
  /** SQLite `synchronous` for every connection. Default FULL, task-mcp's durability (see README). */
  synchronous?: Synchronous;
}

/** All connections of one storage root. One per process is typical; every server instance shares it. */
export class Store {
  readonly home: string;
  readonly maxProjectConnections: number;
  readonly synchronous: Synchronous;
  private masterConn: Connection | undefined;
  /** Insertion order = recency (a hit moves the entry to the end). */
  private readonly projects = new Map<string, Connection>();
  private empty: Connection | undefined;
  private closed = false;
  /** When this process last bumped each project's last_accessed (registry.ts, touchLater). */
  readonly accessTouches = new Map<string, number>();

  constructor(options: StoreOptions) {
    this.home = path.resolve(options.home);
    this.maxProjectConnections = Math.max(1, options.maxProjectConnections ?? 64);
    this.synchronous = options.synchronous ?? 'FULL';
  }

  private readonly dropMaster = (c: Connection) => {
    if (this.masterConn === c) this.masterConn = undefined;
    c.retire();
  };

  private dropProject(id: string, c: Connection): void {
    if (this.projects.get(id) === c) this.projects.delete(id);
    c.retire();
  }

  /** A cached connection that still points at the file now at `file`; otherwise drops it. */
  private current(c: Connection | undefined, file: string, drop: (c: Connection) => void): Connection | undefined {
    if (!c) return undefined;
    if (c.open && fileIdentity(file) === c.identity) return c;
    drop(c);
    return undefined;
  }

  /** The registry, created on demand (writes: task-mcp creates directories and files on every connection). */
  master(): Connection {
    this.assertOpen();
    const file = masterDbPath(this.home);
    const c = this.current(this.masterConn, file, this.dropMaster);
    if (c) return c;
    this.masterConn = openDb(file, { synchronous: this.synchronous, complete: masterSchemaComplete, init: initMasterSchema }, this.dropMaster);
    return this.masterConn;
  }

  /** The registry if master.db exists; reads use this and create nothing. */
  masterIfExists(): Connection | null {
    this.assertOpen();
    const file = masterDbPath(this.home);
    const c = this.current(this.masterConn, file, this.dropMaster);
    if (c) return c;
    if (fileIdentity(file) === null) return null;
    return this.master();
  }

  /**
   * A project's connection. 'write' creates the database when missing (as task-mcp does); 'read' returns
   * null instead, and the caller answers as for an empty project.
   */
  project(id: string, mode: 'read' | 'write'): Connection | null {
    this.assertOpen();
    const file = projectDbPath(this.home, id);
    const cached = this.current(this.projects.get(id), file, (c) => this.dropProject(id, c));
    if (cached) {
      this.projects.delete(id);
      this.projects.set(id, cached);
      return cached;
    }
    if (mode === 'read' && fileIdentity(file) === null) return null;
    const onFault = (c: Connection) => this.dropProject(id, c);
    const c = openDb(file, { synchronous: this.synchronous, complete: projectSchemaComplete, init: initProjectSchema }, onFault);
    this.projects.set(id, c);
    while (this.projects.size > this.maxProjectConnections) {
      const [oldId, oldest] = this.projects.entries().next().value as [string, Connection];
      this.dropProject(oldId, oldest);
    }
    return c;
  }

  /** An in-memory database with the project schema: what a read sees for a project that has no file. */
  emptyProject(): Connection {
    this.assertOpen();
    if (!this.empty) {
      const db = new Database(':memory:');
      initProjectSchema(db);
      this.empty = new Connection(db, '');
    }
    return this.empty;
  }

  /** Number of open project connections (tests, health). */
  openProjectCount(): number {
    return this.projects.size;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('task-mcp store is closed');
  }

  close(): void {
    this.closed = true;
    this.masterConn?.retire();
    this.masterConn = undefined;
    for (const c of this.projects.values()) c.retire();
    this.projects.clear();
    this.empty?.retire();
    this.empty = undefined;
  }
}

export function openStore(options: StoreOptions): Store {
  return new Store(options);
}
