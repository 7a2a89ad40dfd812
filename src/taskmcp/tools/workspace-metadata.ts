/** tasks.workspace_metadata as create_task captures it (§3.2): git root, resolved cwd, project name. */
import { execFile } from 'node:child_process';
import { baseName, hash8, resolveWorkspacePath } from '../paths.js';
import { pyJsonDumps } from '../pytext.js';
import type { Store } from '../store.js';

/** `git -C <dir> rev-parse --show-toplevel` with task-mcp's 2 s timeout; null on any failure. */
export function gitRoot(dir: string, cwd?: string): Promise<string | null> {
  const args = cwd ? ['rev-parse', '--show-toplevel'] : ['-C', dir, 'rev-parse', '--show-toplevel'];
  return new Promise((resolve) => {
    try {
      execFile('git', args, { timeout: 2000, cwd, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout.trim()));
    } catch {
      resolve(null);
    }
  });
}

export async function workspaceMetadata(store: Store, resolved: string): Promise<string> {
  const git = await gitRoot(resolved);
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
