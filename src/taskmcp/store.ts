/**
 * SQLite connections. Unlike task-mcp (a fresh connection per call) we keep one connection per database
 * file per process, with prepared statements cached, and run the idempotent schema set-up once per
 * connection. Several processes may share the files: every write is a short BEGIN IMMEDIATE transaction,
 * and SQLITE_BUSY (which can bypass busy_timeout, e.g. on deadlock avoidance) is retried with backoff.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { masterDbPath, projectDbPath } from './paths.js';
import { initMasterSchema, initProjectSchema } from './schema.js';

export type Db = Database.Database;
export type Row = Record<string, unknown>;

const MAX_ATTEMPTS = 12;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => Math.min(250, 5 * 2 ** attempt) * (0.5 + Math.random());

/** Retries SQLITE_BUSY with backoff, yielding to the event loop between attempts. */
async function retryBusy<T>(fn: () => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || attempt >= MAX_ATTEMPTS) throw err;
      await sleep(backoff(attempt));
    }
  }
}

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

export class Connection {
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly memos = new Map<string, { version: string; value: unknown }>();
  constructor(readonly db: Db) {}

  /**
   * Memoizes a whole-table aggregate (counts, the reverse dependency index) until the database changes.
   * The version is `PRAGMA data_version` (changes when any other connection, in any process, commits)
   * plus `total_changes()` (rows this connection changed), so a result is reused only while no write
   * has been committed anywhere. Call it inside read() so the version and the data are one snapshot.
   * Added for the benchmarks (issue 7): these aggregates were full scans on every list request.
   */
  memo<T>(key: string, compute: () => T): T {
    const dv = this.stmt('PRAGMA data_version').pluck().get() as number;
    const tc = this.stmt('SELECT total_changes()').pluck().get() as number;
    const version = `${dv}:${tc}`;
    const hit = this.memos.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = compute();
    if (this.memos.size >= MEMO_MAX) this.memos.clear();
    this.memos.set(key, { version, value });
    return value;
  }

  stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  all<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  get<T = Row>(sql: string, ...params: unknown[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /** A short write transaction (BEGIN IMMEDIATE: take the write lock up front, no upgrade deadlocks). */
  write<T>(fn: () => T): Promise<T> {
    return retryBusy(() => this.db.transaction(fn).immediate());
  }

  /** A consistent multi-statement read (deferred transaction; WAL readers never block writers). */
  read<T>(fn: () => T): Promise<T> {
    return retryBusy(() => this.db.transaction(fn).deferred());
  }
}

function open(file: string, init: (db: Db) => void): Connection {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    retrySync(() => db.pragma('journal_mode = WAL'));
    db.pragma('foreign_keys = ON');
    retrySync(() => db.transaction(() => init(db)).immediate());
  } catch (err) {
    db.close();
    throw err;
  }
  return new Connection(db);
}

/** All connections of one TASK_MCP_HOME, shared by every server instance in the process. */
export class Store {
  private masterConn: Connection | undefined;
  private readonly projects = new Map<string, Connection>();

  constructor(readonly home: string) {}

  master(): Connection {
    // Like task-mcp, directories are (re)created on demand.
    mkdirSync(this.home, { recursive: true });
    this.masterConn ??= open(masterDbPath(this.home), initMasterSchema);
    return this.masterConn;
  }

  project(id: string): Connection {
    mkdirSync(path.join(this.home, 'databases'), { recursive: true });
    let c = this.projects.get(id);
    if (!c) {
      c = open(projectDbPath(this.home, id), initProjectSchema);
      this.projects.set(id, c);
    }
    return c;
  }

  close(): void {
    this.masterConn?.db.close();
    this.masterConn = undefined;
    for (const c of this.projects.values()) c.db.close();
    this.projects.clear();
  }
}

const stores = new Map<string, Store>();

export function storeFor(home: string): Store {
  const key = path.resolve(home);
  let s = stores.get(key);
  if (!s) {
    s = new Store(key);
    stores.set(key, s);
  }
  return s;
}

/** Close every cached connection (tests, graceful shutdown). */
export function closeAllStores(): void {
  for (const s of stores.values()) s.close();
  stores.clear();
}
