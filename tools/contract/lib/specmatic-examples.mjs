/**
 * Specmatic external examples for the operations whose answer depends on state Specmatic does not
 * model: each example gets its own resource, created here just before the run, so no scenario eats
 * another one's data and each expects the status that state really calls for.
 *
 * - DELETE a task / an entity: Specmatic's four request variants (plain, with the project query,
 *   with If-Match, with both), each on its own resource and with the resource's real ETag; plus a
 *   stale If-Match (412) and an already deleted resource (404).
 * - PUT a task-entity link: a new link (201) and one that exists already (200).
 * - POST a project: a new workspace (201) and a registered one (200).
 * - GET a web app file: a real built script and stylesheet (their names are content hashes).
 *
 * Examples replace Specmatic's generated requests for the scenario they match, so the run that
 * uses them covers these operations; the contract run leaves them out.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { client } from './service.mjs';

/** The operations the examples cover (Specmatic filter syntax). */
export const EXAMPLE_OPERATIONS = [
  { method: 'DELETE', path: '/api/v1/tasks/{task_id}' },
  { method: 'DELETE', path: '/api/v1/entities/{entity_id}' },
  { method: 'PUT', path: '/api/v1/tasks/{task_id}/entities/{entity_id}' },
  { method: 'POST', path: '/api/v1/projects' },
  { method: 'GET', path: '/assets/{asset}' },
];

/** A Specmatic example; a body of `(Name)` stands for any value of components.schemas.Name. */
const example = (request, response) => ({ 'http-request': request, 'http-response': response });

/**
 * Creates the resources and resolves [{ name, example }]. `ids` are the seeded ones (seed()),
 * `webAssetsDir` the built web app's assets folder.
 */
export async function buildExamples(service, ids, { webAssetsDir, label }) {
  const call = client(service.url, service.key);
  const inProject = { project_id: ids.projectId, workspace_path: ids.workspace };
  const out = [];
  const add = (name, request, response) => out.push({ name, example: example(request, response) });

  // Deletes: one resource per variant.
  for (const [kind, create] of [
    ['tasks', (n) => ({ title: `Deleted by example ${n}` })],
    ['entities', (n) => ({ entity_type: 'other', name: `Deleted by example ${n}`, identifier: `DEL-${label}-${n}` })],
  ]) {
    const fresh = async (n) => call.full('POST', `/api/v1/${kind}`, create(n));
    const plain = await fresh(1);
    add(`delete_${kind}_plain`, { method: 'DELETE', path: `/api/v1/${kind}/${plain.body.id}` }, { status: 204 });

    const scoped = await fresh(2);
    const query = { ...inProject };
    if (kind === 'tasks') {
      // cascade=true on a task with a subtask, so the cascade has something to do.
      await call('POST', '/api/v1/tasks', { title: 'Subtask deleted by the cascade', parent_task_id: scoped.body.id });
      query.cascade = 'true';
    }
    add(`delete_${kind}_in_project`, { method: 'DELETE', path: `/api/v1/${kind}/${scoped.body.id}`, query }, { status: 204 });

    const matched = await fresh(3);
    add(`delete_${kind}_if_match`, { method: 'DELETE', path: `/api/v1/${kind}/${matched.body.id}`, headers: { 'If-Match': matched.etag } }, { status: 204 });

    const both = await fresh(4);
    add(`delete_${kind}_if_match_in_project`, { method: 'DELETE', path: `/api/v1/${kind}/${both.body.id}`, query: inProject, headers: { 'If-Match': both.etag } }, { status: 204 });

    const stale = await fresh(5);
    await call('PATCH', `/api/v1/${kind}/${stale.body.id}`, { description: 'changed after its ETag was read' });
    add(`delete_${kind}_stale_if_match`, { method: 'DELETE', path: `/api/v1/${kind}/${stale.body.id}`, headers: { 'If-Match': stale.etag } }, { status: 412, body: '(Error)' });

    const goneId = kind === 'tasks' ? ids.deletedTaskId : ids.deletedEntityId;
    add(`delete_${kind}_gone`, { method: 'DELETE', path: `/api/v1/${kind}/${goneId}` }, { status: 404, body: '(Error)' });
  }

  // Links: a new one, and one that exists already.
  const linkTask = await call('POST', '/api/v1/tasks', { title: 'Linked by example' });
  const linkEntity = await call('POST', '/api/v1/entities', { entity_type: 'other', name: 'Linked by example', identifier: `LINK-${label}` });
  add('link_new', { method: 'PUT', path: `/api/v1/tasks/${linkTask.id}/entities/${linkEntity.id}` }, { status: 201, body: '(Link)' });
  add('link_existing', { method: 'PUT', path: `/api/v1/tasks/${ids.scratchTaskId}/entities/${ids.linkedEntityId}`, query: inProject }, { status: 200, body: '(Link)' });

  // Projects: a workspace the registry has not seen, and the seeded one.
  const newWorkspace = path.join(path.dirname(service.workspace), `new-project-${label}`);
  mkdirSync(newWorkspace, { recursive: true });
  const json = { 'Content-Type': 'application/json' };
  add('project_new', { method: 'POST', path: '/api/v1/projects', headers: json, body: { workspace_path: newWorkspace, friendly_name: 'New project' } }, { status: 201, body: '(ProjectDetail)' });
  add('project_existing', { method: 'POST', path: '/api/v1/projects', headers: json, body: { workspace_path: ids.workspace } }, { status: 200, body: '(ProjectDetail)' });

  // Web app files: the first built script and stylesheet.
  const files = readdirSync(webAssetsDir).sort();
  for (const [ext, type] of [
    ['.js', 'text/javascript'],
    ['.css', 'text/css'],
  ]) {
    const file = files.find((f) => f.endsWith(ext));
    if (!file) throw new Error(`no ${ext} file in ${webAssetsDir}: is the web app built?`);
    // `(string)` is Specmatic's placeholder for any string: the file's text is not the point.
    add(`asset${ext.replace('.', '_')}`, { method: 'GET', path: `/assets/${file}` }, { status: 200, headers: { 'Content-Type': type }, body: '(string)' });
  }
  return out;
}
