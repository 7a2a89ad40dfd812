/**
 * tasks.workspace_metadata as create_task captures it (docs/task-mcp-compatibility.md, "JSON in TEXT
 * columns"): workspace path, git root, resolved cwd, project name.
 */
import { baseName, hash8, resolveWorkspacePath } from '../paths.js';
import { pyJsonDumps } from '../pytext.js';
import type { Store } from '../store.js';
import { cachedGitRoot } from './git.js';

export async function workspaceMetadata(store: Store, resolved: string): Promise<string> {
  const git = await cachedGitRoot(resolved);
  let name = baseName(resolved);
  try {
    const row = store.master().get<{ friendly_name: string | null }>('SELECT friendly_name FROM projects WHERE id = ?', hash8(resolved));
    if (row?.friendly_name) name = row.friendly_name;
  } catch {
    // task-mcp falls back to the basename on any master error
  }
  return pyJsonDumps({
    workspace_path: resolved,
    git_root: git,
    cwd_at_creation: resolveWorkspacePath(process.cwd()),
    project_name: name,
  });
}
