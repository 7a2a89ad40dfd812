/** The tool list: task-mcp's 22 in its source order, then our extensions (docs/task-mcp-compatibility.md, "Tools"). */
import { auditTools } from './audit.js';
import { checkedTools } from './checked.js';
import type { ToolDef } from './common.js';
import { entityTools } from './entities.js';
import { entityQueryTools } from './query-entities.js';
import { extensionTools } from './extensions.js';
import { graphTools } from './graph.js';
import { projectExtensionTools } from './project-extensions.js';
import { projectTools } from './projects.js';
import { queryTaskTools } from './query-tasks.js';
import { taskTools } from './tasks.js';

export const CONTRACT_TOOL_ORDER = [
  'list_tasks', 'create_task', 'get_task', 'update_task', 'search_tasks', 'list_projects', 'get_project_info',
  'set_project_name', 'get_usage_stats', 'get_task_tree', 'delete_task', 'cleanup_deleted_tasks', 'get_entity',
  'create_entity', 'link_entity_to_task', 'get_task_entities', 'get_entity_tasks', 'update_entity', 'delete_entity',
  'list_entities', 'search_entities', 'audit_workspace_integrity',
];

const EXTENSIONS: ToolDef[] = [...extensionTools, ...queryTaskTools, ...entityQueryTools, ...graphTools, ...projectExtensionTools, ...checkedTools];

export const EXTENSION_TOOL_NAMES = EXTENSIONS.map((t) => t.name);

/** The tools to register: the contract's 22, plus the extensions unless `strict` (exactly task-mcp's list). */
export function allTools(options: { strict?: boolean } = {}): ToolDef[] {
  const byName = new Map<string, ToolDef>([...taskTools, ...projectTools, ...entityTools, ...auditTools].map((t) => [t.name, t]));
  const ordered = CONTRACT_TOOL_ORDER.map((n) => {
    const t = byName.get(n);
    if (!t) throw new Error(`tool ${n} is not implemented`);
    return t;
  });
  return options.strict ? ordered : [...ordered, ...EXTENSIONS];
}
