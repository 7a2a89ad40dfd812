/** Turns reported changes into events on the bus, once each (a dedup store remembers recent versions). */
import type { Logger } from 'pino';
import type { Change, ChangeKey, ChangeNotifier } from '../domain/changes.js';
import { hash8 } from '../taskmcp/paths.js';
import type { EventBus } from './bus.js';

export interface DedupStore {
  /** True the first time `key` is seen within `ttlMs`. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** How long a change's version is remembered: far longer than the watcher needs to find it. */
const DEDUP_TTL_MS = 120_000;

export class ChangePublisher implements ChangeNotifier {
  constructor(
    private readonly bus: EventBus,
    private readonly dedup: DedupStore,
    private readonly log: Logger,
  ) {}

  async claim(change: ChangeKey): Promise<boolean> {
    try {
      return await this.dedup.claim(this.keyOf(change), DEDUP_TTL_MS);
    } catch (err) {
      // Announce anyway: a duplicate event makes a client refetch once, a missed one leaves it stale.
      this.log.debug({ err, type: change.type }, 'could not record a change');
      return true;
    }
  }

  async changed(change: Change): Promise<void> {
    if (await this.claim(change)) await this.publish(change);
  }

  async publish(change: Change): Promise<void> {
    try {
      const projectId = change.projectId ?? hash8(change.workspacePath);
      await this.bus.publish({
        type: change.type,
        project_id: projectId,
        task_id: change.taskId ?? null,
        entity_id: change.entityId ?? null,
        etag: change.etag,
        changed: change.changed,
        source: change.source,
        at: new Date().toISOString(),
      });
    } catch (err) {
      this.log.warn({ err, type: change.type }, 'could not announce a change');
    }
  }

  private keyOf(change: ChangeKey): string {
    const projectId = change.projectId ?? hash8(change.workspacePath);
    const subject = change.type.startsWith('link.') ? `${change.taskId}:${change.entityId}` : (change.taskId ?? change.entityId ?? '');
    return `${change.type.split('.')[0]}:${projectId}:${subject}:${change.type.endsWith('deleted') ? 'deleted' : change.version}`;
  }
}
