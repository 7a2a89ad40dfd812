/**
 * Conformance for the statuses that need a struggling backend: 504 (a request past REQUEST_TIMEOUT_MS
 * while the only MCP child is frozen with SIGSTOP), 503 with Retry-After (the only MCP session busy
 * and its one waiting place, MCP_MAX_WAITING=1, taken), and the health probes' 503 once no session is
 * left.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { freeze, releaseFrozen, thaw } from '../helpers/freeze.js';
import { waitFor } from '../helpers/processes.js';
import { type CaseEnv, caseFor } from './cases.js';
import { type Defaults, documentedStatuses, expectConforms, specOperations } from './contract.js';

const slowOps = specOperations().filter((o) => documentedStatuses(o).some((st) => caseFor(o, st)?.harness === 'slow'));
const closedPairs = specOperations().flatMap((o) => documentedStatuses(o).filter((st) => caseFor(o, st)?.harness === 'slowClosed').map((status) => ({ o, status })));

describe('conformance with a slow backend', () => {
  let h: Harness;
  let env: CaseEnv;
  beforeAll(async () => {
    h = await startHarness({
      MCP_POOL_SIZE: '1',
      MCP_MAX_WAITING: '1',
      MCP_CALL_TIMEOUT_MS: '10000',
      REQUEST_TIMEOUT_MS: '100',
      CACHE_TTL_MS: '0',
      BREAKER_VOLUME_THRESHOLD: '100000',
    });
    const workspace = `${h.tmp}/ws/slow`;
    const task = await h.call('create_task', { workspace_path: workspace, title: 'Slow task' });
    const entity = await h.call('create_entity', { workspace_path: workspace, entity_type: 'other', name: 'Slow entity' });
    await h.runtime.services.resolver.refresh();
    const projectId = h.runtime.services.resolver.projects()[0]!.id;
    const d: Defaults = { projectId, path: { project_id: projectId, task_id: task.id, entity_id: entity.id } };
    env = { h, d, s: undefined as never };
  }, 30_000);
  afterAll(async () => {
    releaseFrozen();
    await h?.close();
  });

  const idle = () => waitFor(() => h.runtime.pool.stats().busy === 0 && h.runtime.pool.stats().waiting === 0, 5_000, 'the MCP session is free again');
  /** Keeps the session busy and its waiting place taken (fire-and-forget calls until one waits). */
  async function fillQueue(): Promise<void> {
    for (let i = 0; i < 10 && h.runtime.pool.stats().waiting < 1; i++) {
      void h.get('/api/v1/projects').then(() => undefined, () => undefined);
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => h.runtime.pool.stats().waiting >= 1, 10_000, 'a request waiting for the session');
  }

  it.each(slowOps.map((o) => [o.operationId, o] as const))('%s: 504 past the deadline (then 503 while the session is still busy)', async (_id, o) => {
    await idle();
    const child = h.runtime.pool.sessions()[0]!.pid!;
    freeze(child);
    try {
      const timedOut = await caseFor(o, 504)!.run(env, o);
      expectConforms(o, 504, timedOut);
      // The only session busy and the one waiting place taken: no one else may wait.
      if (caseFor(o, 503)?.harness !== 'slow') return;
      await fillQueue();
      const unavailable = await caseFor(o, 503)!.run(env, o);
      expectConforms(o, 503, unavailable);
    } finally {
      thaw(child);
    }
  });

  describe('without any MCP session', () => {
    beforeAll(async () => {
      await idle();
      await h.runtime.pool.close();
    });
    it.each(closedPairs.map((p) => [`${p.o.operationId} ${p.status}`, p] as const))('%s', async (_name, { o, status }) => {
      expectConforms(o, status, await caseFor(o, status)!.run(env, o));
    });
  });
});
