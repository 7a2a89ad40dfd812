/** A small, fully known project seeded through real MCP tool calls. */
import path from 'node:path';

type Call = (tool: string, args: Record<string, unknown>) => Promise<any>;

export interface Seeded {
  workspace: string;
  projectId: string;
  otherWorkspace: string;
  otherProjectId: string;
  tasks: Record<'design' | 'implement' | 'docs' | 'endpointTests' | 'migrate' | 'release' | 'deleted', number>;
  entities: Record<'apiFile' | 'specDoc', number>;
}

export async function seedProject(call: Call, root: string): Promise<Seeded> {
  const workspace = path.join(root, 'ws', 'alpha');
  const otherWorkspace = path.join(root, 'ws', 'beta');
  const create = async (args: Record<string, unknown>) => (await call('create_task', { workspace_path: workspace, ...args })).id as number;
  const update = (task_id: number, args: Record<string, unknown>) => call('update_task', { workspace_path: workspace, task_id, ...args });

  await call('set_project_name', { workspace_path: workspace, friendly_name: 'Alpha' });
  const design = await create({ title: 'Design API', priority: 'high', tags: 'backend api', description: 'Sketch the REST resources' });
  const implement = await create({ title: 'Implement API', depends_on: [design], tags: 'backend', file_references: ['src/api.ts'] });
  const docs = await create({ title: 'Write docs', priority: 'low', tags: 'docs' });
  const endpointTests = await create({ title: 'Endpoint tests', parent_task_id: implement, tags: 'backend testing' });
  const migrate = await create({ title: 'Migrate data', priority: 'high' });
  await update(migrate, { status: 'in_progress' });
  await update(migrate, { status: 'blocked', blocker_reason: 'waiting for DB access' });
  const release = await create({ title: 'Release 1.0', priority: 'medium' });
  await update(release, { status: 'in_progress' });
  await update(release, { status: 'done' });
  const deleted = await create({ title: 'Obsolete idea' });
  await call('delete_task', { workspace_path: workspace, task_id: deleted });

  const apiFile = (await call('create_entity', { workspace_path: workspace, entity_type: 'file', name: 'API module', identifier: 'src/api.ts', tags: 'backend', metadata: { language: 'ts' } })).id as number;
  const specDoc = (await call('create_entity', { workspace_path: workspace, entity_type: 'other', name: 'Spec document', identifier: 'SPEC-1' })).id as number;
  await call('link_entity_to_task', { workspace_path: workspace, task_id: design, entity_id: apiFile });
  await call('link_entity_to_task', { workspace_path: workspace, task_id: implement, entity_id: apiFile });
  await call('link_entity_to_task', { workspace_path: workspace, task_id: docs, entity_id: specDoc });

  await call('create_task', { workspace_path: otherWorkspace, title: 'Beta task' });
  const projects = (await call('list_projects', {})) as Array<{ id: string; workspace_path: string }>;
  const idOf = (ws: string) => projects.find((p) => p.workspace_path === ws)!.id;
  return {
    workspace,
    projectId: idOf(workspace),
    otherWorkspace,
    otherProjectId: idOf(otherWorkspace),
    tasks: { design, implement, docs, endpointTests, migrate, release, deleted },
    entities: { apiFile, specDoc },
  };
}
