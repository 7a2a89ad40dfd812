/**
 * Compare-and-set writes (EXTENSION; docs/task-mcp-compatibility.md, "Compare-and-set writes"), for HTTP
 * If-Match: the unchecked tool's body runs inside the same write transaction as the check of the stored
 * `updated_at` (or friendly_name), so of any number of concurrent writers holding the same version exactly
 * one succeeds. Missing rows give the unchecked tool's not-found text; a changed row gives a ToolError that
 * starts with "Precondition failed: ".
 */
import { ToolError } from '../errors.js';
import { hash8 } from '../paths.js';
import { PROJECT_COLUMNS, type ProjectRow } from '../registry.js';
import type { Row } from '../store.js';
import { P, defineTool, openForWrite, resolveWs } from './common.js';
import { DELETE_ENTITY_PARAMS, UPDATE_ENTITY_PARAMS, deleteEntity, updateEntity } from './entities.js';
import { DELETE_TASK_PARAMS, UPDATE_TASK_PARAMS, deleteTask, updateTask } from './tasks.js';

export const PRECONDITION_FAILED = 'Precondition failed: ';

const expected = P.reqStr('expected_updated_at');

function sameVersion(kind: 'task' | 'entity', id: number, expectedUpdatedAt: string) {
  return (current: Row) => {
    if (current.updated_at !== expectedUpdatedAt) {
      throw new ToolError(`${PRECONDITION_FAILED}${kind} ${id} has changed (updated_at ${String(current.updated_at)}, expected ${expectedUpdatedAt})`);
    }
  };
}

const updateTaskChecked = defineTool({
  name: 'update_task_checked',
  family: 'A',
  description: "[EXTENSION, not in task-mcp] update_task, applied only if the task's updated_at still equals expected_updated_at.",
  params: [...UPDATE_TASK_PARAMS, expected],
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return updateTask(db, a, sameVersion('task', a.task_id, a.expected_updated_at));
  },
});

const deleteTaskChecked = defineTool({
  name: 'delete_task_checked',
  family: 'A',
  description: "[EXTENSION, not in task-mcp] delete_task, applied only if the task's updated_at still equals expected_updated_at.",
  params: [...DELETE_TASK_PARAMS, expected],
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return deleteTask(db, a, sameVersion('task', a.task_id, a.expected_updated_at));
  },
});

const updateEntityChecked = defineTool({
  name: 'update_entity_checked',
  family: 'A',
  description: "[EXTENSION, not in task-mcp] update_entity, applied only if the entity's updated_at still equals expected_updated_at.",
  params: [...UPDATE_ENTITY_PARAMS, expected],
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return updateEntity(db, a, ctx.sessionId, sameVersion('entity', a.entity_id, a.expected_updated_at));
  },
});

const deleteEntityChecked = defineTool({
  name: 'delete_entity_checked',
  family: 'A',
  description: "[EXTENSION, not in task-mcp] delete_entity, applied only if the entity's updated_at still equals expected_updated_at.",
  params: [...DELETE_ENTITY_PARAMS, expected],
  async run(a, ctx) {
    const { db } = await openForWrite(ctx, a.workspace_path);
    return deleteEntity(db, a.entity_id, sameVersion('entity', a.entity_id, a.expected_updated_at));
  },
});

const updateProject = defineTool({
  name: 'update_project',
  family: 'A',
  description:
    '[EXTENSION, not in task-mcp] Set (or with null clear) a registered project\'s friendly_name; with check_expected, only if the ' +
    'stored name still equals expected_friendly_name. Returns the project row.',
  params: [P.ws, { name: 'friendly_name', kind: 'str', nullable: true }, P.optStr('expected_friendly_name'), P.def('check_expected', 'bool', false)],
  async run(a, ctx) {
    const id = hash8(resolveWs(a.workspace_path));
    const notFound = () => new ToolError(`Project not found: ${a.workspace_path}`);
    const m = ctx.store.masterIfExists();
    if (!m) throw notFound();
    return m.write(() => {
      const row = m.get<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ?`, id);
      if (!row) throw notFound();
      if (a.check_expected && row.friendly_name !== a.expected_friendly_name) {
        throw new ToolError(`${PRECONDITION_FAILED}project ${id} has changed (friendly_name ${JSON.stringify(row.friendly_name)}, expected ${JSON.stringify(a.expected_friendly_name)})`);
      }
      m.run('UPDATE projects SET friendly_name = ? WHERE id = ?', a.friendly_name, id);
      return m.get<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ?`, id);
    });
  },
});

export const checkedTools = [updateTaskChecked, deleteTaskChecked, updateEntityChecked, deleteEntityChecked, updateProject];
