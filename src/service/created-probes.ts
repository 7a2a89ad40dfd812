/**
 * "Did that create happen?" — asked when a keyed POST lost its answer after the write was sent (a
 * timeout, a crashed child) and the attempt has since been stopped for good (src/http/idempotency.ts).
 * A create leaves a row stamped with the caller (`created_by`) and the time, so the probe looks for a
 * row by the same caller, created since the attempt started, with the request's identifying fields.
 *
 * Limit (README, "Idempotency-Key"): had the same caller created an identical row under another key
 * within the same second, the probe could pick that one; the oldest match wins.
 */
import type { Schemas } from '../contract.js';
import { toEntity, toTask } from './adapter.js';
import type { EntityQueries } from './entity-query.js';
import type { TaskQueries } from './task-query.js';
import type { ResolvedWorkspace } from './workspace-resolver.js';

/** task-mcp stamps rows in local time at microsecond precision; a margin covers clock rounding. */
const MARGIN_MS = 1000;
const LOOK_AT = 100;

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

export class CreatedProbes {
  constructor(
    private readonly tasks: TaskQueries,
    private readonly entities: EntityQueries,
  ) {}

  async task(ws: ResolvedWorkspace, body: Schemas['TaskCreate'], createdBy: string, since: Date): Promise<Schemas['Task'] | undefined> {
    const created_after = new Date(since.getTime() - MARGIN_MS).toISOString();
    const page = await this.tasks.run(ws, { created_by: createdBy, created_after, sort: ['created_at'] }, { limit: LOOK_AT, offset: 0 }, { fresh: true });
    return page.items
      .map(toTask)
      .find((t) => t.title === body.title && same(t.description, body.description) && same(t.parent_task_id, body.parent_task_id));
  }

  async entity(ws: ResolvedWorkspace, body: Schemas['EntityCreate'], createdBy: string, since: Date): Promise<Schemas['Entity'] | undefined> {
    const after = since.getTime() - MARGIN_MS;
    const page = await this.entities.run(ws, { entity_type: body.entity_type, sort: ['-created_at'] }, { limit: LOOK_AT, offset: 0 }, { fresh: true });
    return page.items
      .map(toEntity)
      .filter((e) => e.created_by === createdBy && Date.parse(e.created_at ?? '') >= after && e.name === body.name && same(e.identifier, body.identifier))
      .at(-1);
  }
}
