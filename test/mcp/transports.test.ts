/**
 * The same REST answers over every way of reaching task-mcp: the generic stdio transport, the
 * in-process transport, and a strict backend without our extension tools (like the Python task-mcp),
 * where next/blocked/tags/blockers are computed from list_tasks instead.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/api-harness.js';
import { seedProject } from '../helpers/seed.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The read endpoints whose answers must not depend on the transport or on extension tools. */
async function snapshot(harness: Harness): Promise<Record<string, unknown>> {
  const s = await seedProject(harness.call, harness.tmp);
  const q = `project_id=${s.projectId}`;
  const urls = [
    `/api/v1/tasks?${q}`,
    `/api/v1/tasks?${q}&tag=backend&limit=2&offset=1`,
    `/api/v1/tasks/next?${q}`,
    `/api/v1/tasks/blocked?${q}`,
    `/api/v1/tags?${q}`,
    `/api/v1/tasks/${s.tasks.design}?${q}&include=entities`,
    `/api/v1/tasks/${s.tasks.implement}/tree?${q}`,
    `/api/v1/entities?${q}`,
    `/api/v1/entities/stats?${q}`,
    `/api/v1/tasks/search?${q}&q=api`,
  ];
  const out: Record<string, unknown> = {};
  for (const url of urls) {
    const res = await harness.get(url).expect(200);
    // Timestamps and generated ids differ between runs; compare structure and values that matter.
    out[url.replace(s.projectId, 'P')] = JSON.parse(
      JSON.stringify(res.body, (k, v) => (/_at$|^created_by$|^link_created_by$|^workspace_metadata$|^project_id$/.test(k) ? undefined : v)),
    );
  }
  return out;
}

describe('transports and backends', () => {
  let reference: Record<string, unknown>;

  it('embedded (stdio children) gives the reference answers', async () => {
    h = await startHarness();
    reference = await snapshot(h);
    expect(Object.keys(reference)).toHaveLength(10);
  });

  it('generic stdio (MCP_COMMAND) gives the same answers', async () => {
    // A task-mcp command finds its store through its own environment, as in real deployments.
    const home = path.join(mkdtempSync(path.join(os.tmpdir(), 'tva-stdio-')), 'store');
    h = await startHarness({
      MCP_TRANSPORT: 'stdio',
      MCP_COMMAND: process.execPath,
      MCP_ARGS: JSON.stringify([path.resolve('dist/src/taskmcp/stdio-main.js')]),
      TASK_MCP_HOME: home,
    });
    expect(await snapshot(h)).toEqual(reference);
  });

  it('in-process gives the same answers', async () => {
    h = await startHarness({ MCP_TRANSPORT: 'inprocess' });
    expect(await snapshot(h)).toEqual(reference);
  });

  it('a strict task-mcp without extension tools gives the same answers (computed fallbacks)', async () => {
    h = await startHarness({ TASK_MCP_STRICT: 'true' });
    expect(await h.runtime.gateway.hasTool('list_tasks')).toBe(true);
    expect(await h.runtime.gateway.hasTool('get_next_tasks')).toBe(false);
    expect(await snapshot(h)).toEqual(reference);
  });
});
