/** openapi-zod-client (Zodios + zod): the client a consumer calls, its responses validated by zod. */
import { createApiClient } from 'generated-client';
import { countTree, describeTask, entityLine } from './shapes.js';

export async function consumer(): Promise<string[]> {
  const api = createApiClient('http://127.0.0.1:8001');
  const lines: string[] = [];
  const tree = await api.getTaskTree({ params: { task_id: 1 }, queries: { project_id: 'ae9ba7dc' } });
  lines.push(String(countTree(tree)));
  const page = await api.listTasks({ queries: { status: ['todo', 'blocked'], limit: 10 } });
  for (const t of page.tasks) lines.push(describeTask(t));
  lines.push(entityLine(await api.getEntity({ params: { entity_id: 1 } })));
  await api.createTask({ title: 'New', depends_on: [1] });
  // @ts-expect-error a task needs a title
  await api.createTask({ description: 'no title' });
  // @ts-expect-error task_id is a number
  await api.getTaskTree({ params: { task_id: 'one' } });
  return lines;
}
