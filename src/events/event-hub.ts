/**
 * The subscribers of `GET /api/v1/events`: each gets the events its key may see (its projects) and
 * asked for (`project_id`), replayed from Last-Event-ID when still in the window, then live. Counts
 * open streams for metrics and health, and ends them all on shutdown.
 */
import type { Response } from 'express';
import { type Caller, mayUseProject } from '../domain/access.js';
import type { ChangeEvent, EventBus } from './bus.js';
import { type SseOptions, SseStream } from './sse-stream.js';

export interface Subscription {
  caller: Caller;
  projectId?: string;
  lastEventId?: string;
}

export class EventHub {
  private readonly streams = new Set<SseStream>();
  private readonly subscriptions = new Map<SseStream, Subscription>();

  constructor(
    private readonly bus: EventBus,
    private readonly options: SseOptions,
    private readonly onCountChange?: (open: number) => void,
  ) {}

  get subscribers(): number {
    return this.streams.size;
  }

  async serve(res: Response, sub: Subscription): Promise<void> {
    const visible = (e: ChangeEvent) => mayUseProject(sub.caller, e.project_id) && (!sub.projectId || e.project_id === sub.projectId);
    // Subscribe before replaying, so nothing published meanwhile is lost; duplicates are skipped by id.
    const queued: ChangeEvent[] = [];
    let live = false;
    let stream: SseStream | undefined;
    const unsubscribe = this.bus.subscribe((e) => {
      if (!visible(e)) return;
      if (live) stream?.send(e.type, e, e.id);
      else queued.push(e);
    });
    stream = new SseStream(res, this.options, () => {
      unsubscribe();
      this.streams.delete(stream!);
      this.subscriptions.delete(stream!);
      this.onCountChange?.(this.streams.size);
    });
    this.streams.add(stream);
    this.subscriptions.set(stream, sub);
    this.onCountChange?.(this.streams.size);

    const sent = new Set<string>();
    if (sub.lastEventId) {
      const missed = await this.bus.since(sub.lastEventId);
      if (missed === undefined) stream.send('stream.reset', { reason: 'Last-Event-ID is no longer in the replay window: reload what you show' });
      else for (const e of missed.filter(visible)) (stream.send(e.type, e, e.id), sent.add(e.id));
    }
    for (const e of queued) if (!sent.has(e.id)) stream.send(e.type, e, e.id);
    live = true;
    await stream.done;
  }

  /** The projects open streams listen to (for the change watcher). */
  interests(): { all: boolean; projects: ReadonlySet<string> } {
    const projects = new Set<string>();
    let all = false;
    for (const sub of this.subscriptions.values()) {
      if (sub.projectId) projects.add(sub.projectId);
      else if (sub.caller.projects) for (const p of sub.caller.projects) projects.add(p);
      else all = true;
    }
    return { all, projects };
  }

  /** Ends every stream (graceful shutdown): clients get `stream.closed` and reconnect elsewhere. */
  closeAll(reason: string): void {
    for (const stream of [...this.streams]) stream.close(reason);
  }
}
