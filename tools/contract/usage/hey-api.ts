/** @hey-api/openapi-ts (fetch client): the SDK functions a consumer calls, typed from the spec. */
import { createTask, getEntity, getTaskTree, listTasks } from 'generated-client';
import { countTree, describeTask, entityLine } from './shapes.js';

export async function consumer(): Promise<string[]> {
  const lines: string[] = [];
  const tree = await getTaskTree({ path: { task_id: 1 }, query: { project_id: 'ae9ba7dc' } });
  if (tree.data) lines.push(String(countTree(tree.data)));
  const page = await listTasks({ query: { status: ['todo', 'blocked'], limit: 10 } });
  for (const t of page.data?.tasks ?? []) lines.push(describeTask(t));
  const entity = await getEntity({ path: { entity_id: 1 } });
  if (entity.data) lines.push(entityLine(entity.data));
  if (entity.error) lines.push(entity.error.message);
  await createTask({ body: { title: 'New', depends_on: [1] } });
  // @ts-expect-error a task needs a title
  await createTask({ body: { description: 'no title' } });
  // @ts-expect-error task_id is a number
  await getTaskTree({ path: { task_id: 'one' } });
  return lines;
}
