/**
 * Several service instances in this process, on one task-mcp store (under `home`) and whatever shared
 * settings `env` gives them (REDIS_URL…), each listening on loopback, with one project they all know.
 */
import path from 'node:path';
import { type Harness, startHarness } from './api-harness.js';

export interface Instances {
  instances: Harness[];
  urls: string[];
  /** `project_id=<id>` of the shared project. */
  query: string;
  /** Its workspace path. */
  ws: string;
}

export async function startInstances(count: number, home: string, env: Record<string, string>, project = 'shared'): Promise<Instances> {
  const instances = await Promise.all(Array.from({ length: count }, () => startHarness({ TASK_MCP_HOME: path.join(home, 'store'), MCP_POOL_SIZE: '1', ...env })));
  try {
    const urls = await Promise.all(instances.map((h) => h.listen()));
    const ws = path.join(home, 'ws', project);
    await instances[0]!.call('create_task', { workspace_path: ws, title: 'seed' });
    for (const h of instances) await h.runtime.services.resolver.refresh();
    const query = `project_id=${instances[0]!.runtime.services.resolver.projects().find((p) => p.workspace_path === ws)!.id}`;
    return { instances, urls, query, ws };
  } catch (err) {
    await Promise.allSettled(instances.map((h) => h.close()));
    throw err;
  }
}
