/** The one git runner (task-mcp's 2 s timeout; any failure is null), and the per-process git-root cache. */
import { execFile } from 'node:child_process';

/** `git <args>` in `cwd`; trimmed stdout, or null on any failure or empty output. */
export function git(args: string[], cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile('git', args, { cwd, timeout: 2000, encoding: 'utf8' }, (err, out) => resolve(err ? null : out.trim() || null));
    } catch {
      resolve(null); // e.g. cwd does not exist
    }
  });
}

/** `git rev-parse --show-toplevel` run in `dir` (null when dir is missing or not in a repository). */
export function gitRootOf(dir: string): Promise<string | null> {
  return git(['rev-parse', '--show-toplevel'], dir);
}

const ROOT_CACHE_MAX = 1000;
/** A repository appearing or vanishing under a workspace shows up after this long. */
const ROOT_CACHE_TTL_MS = 10 * 60_000;
const rootCache = new Map<string, { at: number; root: Promise<string | null> }>();

/**
 * The git root of a workspace for create_task's workspace_metadata, computed once per workspace and
 * process (a `git` subprocess per create cost milliseconds), refreshed after ROOT_CACHE_TTL_MS.
 */
export function cachedGitRoot(workspace: string): Promise<string | null> {
  const hit = rootCache.get(workspace);
  if (hit && Date.now() - hit.at < ROOT_CACHE_TTL_MS) return hit.root;
  if (rootCache.size >= ROOT_CACHE_MAX) rootCache.clear();
  const root = gitRootOf(workspace);
  rootCache.set(workspace, { at: Date.now(), root });
  return root;
}
