/**
 * Finds writes made straight to the task-mcp files — by task-mcp itself, an AI client, another
 * process — for local stores (embedded, worker and in-process transports). Each watched project
 * database gets a read-only connection of its own, polled for `PRAGMA data_version`, which moves on
 * every commit by any other connection (a microsecond or so per poll). When it moved, the workspace's
 * read cache is invalidated at once and the rows changed since the last look (by `updated_at`,
 * `deleted_at` and link `created_at`, all above a high-water mark) are announced. The registry
 * (`master.db`) is watched the same way for new and renamed projects.
 *
 * Why polling data_version rather than file notifications: it cannot miss a commit (a WAL file that is
 * deleted and recreated silences an fs watcher), works on any filesystem, and costs nothing measurable
 * (docs/decisions/0008-change-detection.md).
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { ReadCache } from '../cache/read-cache.js';
import type { ChangeNotifier } from '../domain/changes.js';
import { etagOf } from '../domain/etag.js';
import { toIsoTimestamp } from '../service/adapter.js';
import type { Services } from '../service/index.js';
import { PROJECTS_SCOPE } from '../service/tool-backend.js';
import { hash8, masterDbPath, projectDbPath } from '../taskmcp/paths.js';

export interface WatcherOptions {
  home: string;
  /** The projects live subscribers want (`all`: every project). */
  interests?: () => { all: boolean; projects: ReadonlySet<string> };
  intervalMs: number;
  /** Most project databases watched at once (each holds one file descriptor set). */
  maxWatched: number;
  /** A workspace nobody used for this long is no longer watched. */
  idleMs: number;
}

interface Watched {
  workspacePath: string;
  projectId: string;
  file: string;
  db: Database.Database | undefined;
  inode: number;
  dataVersion: number;
  /** Stored-format timestamps: only rows changed after these are new. */
  marks: { task: string; deleted: string; entity: string; entityDeleted: string; link: string };
  lastUsed: number;
}

const EPOCH = '0000';

export class ChangeWatcher {
  private readonly watched = new Map<string, Watched>();
  private master: { db: Database.Database | undefined; dataVersion: number; names: Map<string, string | null> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly options: WatcherOptions,
    private readonly cache: ReadCache,
    private readonly services: Pick<Services, 'tasks' | 'entities' | 'resolver' | 'projects'>,
    private readonly notifier: ChangeNotifier,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const w of this.watched.values()) w.db?.close();
    this.watched.clear();
    this.master?.db?.close();
    this.master = undefined;
  }

  /** Keeps a workspace watched (called whenever a request or a subscriber uses it). */
  touch(workspacePath: string, projectId = hash8(workspacePath)): void {
    const known = this.watched.get(workspacePath);
    if (known) {
      known.lastUsed = Date.now();
      return;
    }
    if (this.watched.size >= this.options.maxWatched) this.forgetLeastUsed();
    this.watched.set(workspacePath, {
      workspacePath,
      projectId,
      file: projectDbPath(this.options.home, projectId),
      db: undefined,
      inode: 0,
      dataVersion: -1,
      marks: { task: EPOCH, deleted: EPOCH, entity: EPOCH, entityDeleted: EPOCH, link: EPOCH },
      lastUsed: Date.now(),
    });
  }

  get size(): number {
    return this.watched.size;
  }

  /** One look at every watched database; exported for tests that want to wait for a poll. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.pollMaster();
      this.touchInterests();
      const now = Date.now();
      for (const w of [...this.watched.values()]) {
        if (now - w.lastUsed > this.options.idleMs) this.forget(w);
        else await this.pollOne(w);
      }
    } catch (err) {
      this.log.warn({ err }, 'change watcher poll failed');
    } finally {
      this.polling = false;
    }
  }

  /** Subscribers keep their projects watched for as long as they listen. */
  private touchInterests(): void {
    const interests = this.options.interests?.();
    if (!interests || (!interests.all && interests.projects.size === 0)) return;
    for (const p of this.services.resolver.projects()) {
      if (interests.all || interests.projects.has(p.id)) this.touch(p.workspace_path, p.id);
    }
  }

  private open(file: string): { db: Database.Database; inode: number } | undefined {
    try {
      const inode = statSync(file).ino;
      const db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 1000');
      return { db, inode };
    } catch {
      return undefined; // not created yet, or unreadable: look again next time
    }
  }

  /** A connection to the file as it is now (a deleted or replaced file gets a new one). */
  private connection(w: Watched): Database.Database | undefined {
    let inode = 0;
    try {
      inode = statSync(w.file).ino;
    } catch {
      // gone
    }
    if (w.db && inode === w.inode) return w.db;
    w.db?.close();
    w.db = undefined;
    if (!inode) return undefined;
    const opened = this.open(w.file);
    if (!opened) return undefined;
    w.db = opened.db;
    w.inode = opened.inode;
    w.dataVersion = -1;
    return w.db;
  }

  private async pollOne(w: Watched): Promise<void> {
    const db = this.connection(w);
    if (!db) return;
    const version = db.pragma('data_version', { simple: true }) as number;
    if (version === w.dataVersion) return;
    const first = w.dataVersion === -1;
    w.dataVersion = version;
    if (first) {
      // The starting point: nothing before now is news.
      w.marks = this.currentMarks(db);
      return;
    }
    await this.cache.invalidate(w.workspacePath);
    await this.announce(w, db);
  }

  private currentMarks(db: Database.Database): Watched['marks'] {
    const max = (sql: string) => ((db.prepare(sql).pluck().get() as string | null) ?? EPOCH);
    return {
      task: max('SELECT MAX(updated_at) FROM tasks'),
      deleted: max('SELECT MAX(deleted_at) FROM tasks'),
      entity: max('SELECT MAX(updated_at) FROM entities'),
      entityDeleted: max('SELECT MAX(deleted_at) FROM entities'),
      link: max('SELECT MAX(created_at) FROM task_entity_links'),
    };
  }

  private async announce(w: Watched, db: Database.Database): Promise<void> {
    const m = w.marks;
    type Stamped = { id: number; created_at: string | null; updated_at: string | null; deleted_at: string | null };
    const tasks = db.prepare('SELECT id, created_at, updated_at, deleted_at FROM tasks WHERE updated_at > ? OR deleted_at > ?').all(m.task, m.deleted) as Stamped[];
    const entities = db.prepare('SELECT id, created_at, updated_at, deleted_at FROM entities WHERE updated_at > ? OR deleted_at > ?').all(m.entity, m.entityDeleted) as Stamped[];
    const links = db.prepare('SELECT task_id, entity_id, created_at FROM task_entity_links WHERE created_at > ? AND deleted_at IS NULL').all(m.link) as Array<{ task_id: number; entity_id: number; created_at: string }>;
    w.marks = this.currentMarks(db);

    const ws = { workspacePath: w.workspacePath, projectId: w.projectId };
    const base = { workspacePath: w.workspacePath, projectId: w.projectId, changed: null, source: 'external' as const };
    const liveTasks = tasks.filter((t) => !t.deleted_at);
    const taskEtags = new Map((await this.services.tasks.tasksByIds(ws, liveTasks.slice(0, 1000).map((t) => t.id)).catch(() => [])).map((t) => [t.id, etagOf(t)]));
    for (const t of tasks) {
      const iso = toIsoTimestamp(t.updated_at);
      if (t.deleted_at) await this.notifier.changed({ ...base, type: 'task.deleted', taskId: t.id, etag: null, version: 'deleted' });
      else await this.notifier.changed({ ...base, type: t.created_at === t.updated_at ? 'task.created' : 'task.updated', taskId: t.id, etag: taskEtags.get(t.id) ?? null, version: String(iso) });
    }
    for (const e of entities) {
      if (e.deleted_at) await this.notifier.changed({ ...base, type: 'entity.deleted', entityId: e.id, etag: null, version: 'deleted' });
      else await this.notifier.changed({ ...base, type: e.created_at === e.updated_at ? 'entity.created' : 'entity.updated', entityId: e.id, etag: null, version: String(toIsoTimestamp(e.updated_at)) });
    }
    for (const l of links) {
      await this.notifier.changed({ ...base, type: 'link.created', taskId: l.task_id, entityId: l.entity_id, etag: null, version: String(toIsoTimestamp(l.created_at)) });
    }
  }

  private async pollMaster(): Promise<void> {
    if (!this.master) {
      const opened = this.open(masterDbPath(this.options.home));
      if (!opened) return;
      this.master = { db: opened.db, dataVersion: -1, names: new Map() };
    }
    const { db } = this.master;
    if (!db) return;
    const version = db.pragma('data_version', { simple: true }) as number;
    if (version === this.master.dataVersion) return;
    const first = this.master.dataVersion === -1;
    this.master.dataVersion = version;
    const rows = db.prepare('SELECT id, workspace_path, friendly_name FROM projects').all() as Array<{ id: string; workspace_path: string; friendly_name: string | null }>;
    const before = this.master.names;
    this.master.names = new Map(rows.map((r) => [r.id, r.friendly_name || null]));
    if (first) return;
    await this.cache.invalidate(PROJECTS_SCOPE);
    await this.services.resolver.refresh().catch(() => undefined);
    for (const r of rows) {
      const name = r.friendly_name || null;
      if (!before.has(r.id)) await this.notifier.changed({ type: 'project.created', workspacePath: r.workspace_path, projectId: r.id, etag: null, changed: null, source: 'external', version: `name:${name ?? ''}` });
      else if (before.get(r.id) !== name) await this.notifier.changed({ type: 'project.updated', workspacePath: r.workspace_path, projectId: r.id, etag: null, changed: ['friendly_name'], source: 'external', version: `name:${name ?? ''}` });
    }
  }

  private forget(w: Watched): void {
    w.db?.close();
    this.watched.delete(w.workspacePath);
  }

  private forgetLeastUsed(): void {
    let oldest: Watched | undefined;
    for (const w of this.watched.values()) if (!oldest || w.lastUsed < oldest.lastUsed) oldest = w;
    if (oldest) this.forget(oldest);
  }
}
