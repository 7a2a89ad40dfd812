/**
 * Where change events meet: writes (through this service or found in the task-mcp files) publish,
 * SSE streams subscribe. Events get monotonic ids and stay in a bounded replay window so a client can
 * resume with Last-Event-ID. This one serves one process; with REDIS_URL, src/events/redis-bus.ts
 * serves every instance from one Redis stream (docs/running-several-instances.md).
 */
import { randomBytes } from 'node:crypto';
import type { Schemas } from '../contract.js';

export type ChangeEvent = Schemas['ChangeEvent'];
export type NewChangeEvent = Omit<ChangeEvent, 'id'>;

export interface EventBus {
  publish(event: NewChangeEvent): Promise<void>;
  /** Delivers every event published from now on (in order); returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /** The events after `id`, or undefined when `id` is unknown or has left the replay window. */
  since(id: string): Promise<ChangeEvent[] | undefined>;
  close(): Promise<void>;
}

export class MemoryEventBus implements EventBus {
  /** Ids are `<boot>-<seq>`: an id from before a restart is recognised as unknown, not misread. */
  private readonly boot = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly window: ChangeEvent[] = [];
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  constructor(private readonly windowSize = 1000) {}

  async publish(event: NewChangeEvent): Promise<void> {
    const full = { ...event, id: `${this.boot}-${++this.seq}` };
    this.window.push(full);
    if (this.window.length > this.windowSize) this.window.shift();
    for (const listener of this.listeners) listener(full);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async since(id: string): Promise<ChangeEvent[] | undefined> {
    const [boot, seqText] = id.split('-');
    const seq = Number(seqText);
    if (boot !== this.boot || !Number.isInteger(seq) || seq > this.seq) return undefined;
    const oldest = this.window[0] ? Number(this.window[0].id.split('-')[1]) : this.seq + 1;
    if (seq < oldest - 1) return undefined; // the events after it are no longer all here
    return this.window.filter((e) => Number(e.id.split('-')[1]) > seq);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
