/** orval (fetch client): the functions a consumer calls; responses are unions by status. */
import { createTask, getEntity, getTaskTree, listTasks } from 'generated-client';
import { countTree, describeTask, entityLine } from './shapes.js';

export async function consumer(): Promise<string[]> {
  const lines: string[] = [];
  const tree = await getTaskTree(1, { project_id: 'ae9ba7dc' });
  if (tree.status === 200) lines.push(String(countTree(tree.data)));
  const page = await listTasks({ status: ['todo', 'blocked'], limit: 10 });
  if (page.status === 200) for (const t of page.data.tasks) lines.push(describeTask(t));
  const entity = await getEntity(1);
  if (entity.status === 200) lines.push(entityLine(entity.data));
  if (entity.status === 404) lines.push(entity.data.message);
  await createTask({ title: 'New', depends_on: [1] });
  // @ts-expect-error a task needs a title
  await createTask({ description: 'no title' });
  // @ts-expect-error task_id is a number
  await getTaskTree('one');
  return lines;
}
