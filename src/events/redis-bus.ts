/**
 * The event bus in a Redis stream (`events`, trimmed to about `windowSize` entries), for several
 * instances: an event published by any instance reaches the subscribers of every instance, and its id
 * (the stream entry id) means the same everywhere, so a client that reconnects to another instance
 * resumes with Last-Event-ID instead of reloading. This matters most where instances share no local
 * store to watch (a remote `http-main`); with a shared local store each instance's change watcher
 * would find the write too, and the shared dedup store (src/events/redis-dedup.ts) keeps it to one event.
 *
 * Every instance reads the stream on a connection of its own (XREAD BLOCK), and delivers what it reads,
 * its own events included, so all subscribers see one order. While Redis is down, publishing delivers
 * to this instance's subscribers only, with ids that a resume treats as unknown (`stream.reset`); the
 * reader continues from the last id it saw once Redis is back, so nothing published meanwhile is
 * skipped.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisConnection } from '../redis/connection.js';
import type { ChangeEvent, EventBus, NewChangeEvent } from './bus.js';

/** How long one XREAD waits for new entries before it is issued again. */
const BLOCK_MS = 1_000;
const STREAM_ID = /^\d+-\d+$/;

export class RedisEventBus implements EventBus {
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private readonly reader: Redis;
  private readonly key: string;
  private readonly boot = randomBytes(4).toString('hex');
  private localSeq = 0;
  /** The last stream entry delivered (`$` until the first: only entries from now on). */
  private lastId = '$';
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly redis: RedisConnection,
    commandTimeoutMs: number,
    private readonly windowSize = 1000,
  ) {
    this.key = redis.keyOf('events');
    // Blocking reads need their own connection, and a timeout longer than the block.
    this.reader = redis.client.duplicate({ commandTimeout: BLOCK_MS + commandTimeoutMs });
    this.reader.on('error', () => undefined); // failures surface in the read loop
    this.loop = this.read();
  }

  async publish(event: NewChangeEvent): Promise<void> {
    try {
      await this.redis.client.xadd(this.key, 'MAXLEN', '~', String(this.windowSize), '*', 'event', JSON.stringify(event));
    } catch (err) {
      this.redis.failed(err);
      const local = { ...event, id: `local-${this.boot}-${++this.localSeq}` };
      for (const listener of this.listeners) listener(local);
    }
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async since(id: string): Promise<ChangeEvent[] | undefined> {
    if (!STREAM_ID.test(id)) return undefined;
    try {
      // Trimming drops the oldest entries first: while `id` itself is still there, so is all after it.
      if ((await this.redis.client.xrange(this.key, id, id)).length === 0) return undefined;
      const after = await this.redis.client.xrange(this.key, `(${id}`, '+', 'COUNT', this.windowSize + 1);
      return after.map(([entryId, fields]) => eventOf(entryId, fields)).filter((e): e is ChangeEvent => e !== undefined);
    } catch (err) {
      this.redis.failed(err);
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.running = false;
    this.listeners.clear();
    this.reader.disconnect();
    await this.loop;
  }

  private async read(): Promise<void> {
    await this.reader.connect().catch(() => undefined);
    while (this.running) {
      try {
        const batches = await this.reader.xread('BLOCK', BLOCK_MS, 'STREAMS', this.key, this.lastId);
        for (const [, entries] of batches ?? []) {
          for (const [entryId, fields] of entries) {
            this.lastId = entryId;
            const event = eventOf(entryId, fields);
            if (event) for (const listener of this.listeners) listener(event);
          }
        }
      } catch {
        if (!this.running) return;
        // Redis is down or restarting: the command connection reports the outage; try again shortly.
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (this.reader.status === 'end') await this.reader.connect().catch(() => undefined);
      }
    }
  }
}

function eventOf(id: string, fields: string[]): ChangeEvent | undefined {
  const at = fields.indexOf('event');
  if (at < 0 || at + 1 >= fields.length) return undefined;
  try {
    return { ...(JSON.parse(fields[at + 1]!) as NewChangeEvent), id };
  } catch {
    return undefined;
  }
}
