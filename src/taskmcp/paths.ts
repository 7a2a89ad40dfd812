/**
 * Storage locations and task-mcp's project id derivation (docs/task-mcp-compatibility.md, "Storage").
 * Workspace paths go through a port of Python's `os.path.realpath` (non-strict): Node's realpath
 * normalises `..` lexically and throws on missing paths, which would change project ids.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The storage root: TASK_MCP_HOME (ours: relocates master.db and databases/) or `~/.task-mcp` like
 * task-mcp. For entry points; the server itself takes the root as an option.
 */
export function resolveTaskMcpHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TASK_MCP_HOME) return path.resolve(env.TASK_MCP_HOME);
  return path.join(os.homedir(), '.task-mcp');
}

function pjoin(a: string, b: string): string {
  if (b.startsWith('/')) return b;
  if (a === '' || a.endsWith('/')) return a + b;
  return `${a}/${b}`;
}

/** posixpath.split: (head without trailing slashes unless all slashes, tail). */
function psplit(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  } catch {
    return false; // ENOTDIR, EACCES, ...: Python treats any OSError as "not a link"
  }
}

/** posixpath._joinrealpath (Python 3.11, strict=False). */
function joinRealpath(start: string, rest: string, seen: Map<string, string | null>): [string, boolean] {
  let p = start;
  if (rest.startsWith('/')) {
    rest = rest.slice(1);
    p = '/';
  }
  while (rest) {
    const cut = rest.indexOf('/');
    const name = cut < 0 ? rest : rest.slice(0, cut);
    rest = cut < 0 ? '' : rest.slice(cut + 1);
    if (!name || name === '.') continue;
    if (name === '..') {
      if (p) {
        const [head, tail] = psplit(p);
        p = tail === '..' ? pjoin(pjoin(head, '..'), '..') : head;
      } else {
        p = '..';
      }
      continue;
    }
    const newpath = pjoin(p, name);
    if (!isSymlink(newpath)) {
      p = newpath;
      continue;
    }
    if (seen.has(newpath)) {
      const known = seen.get(newpath);
      if (known != null) {
        p = known;
        continue;
      }
      return [pjoin(newpath, rest), false]; // symlink loop
    }
    seen.set(newpath, null);
    const [resolved, ok] = joinRealpath(p, readlinkSync(newpath, 'utf8'), seen);
    p = resolved;
    if (!ok) return [pjoin(p, rest), false];
    seen.set(newpath, p);
  }
  return [p, true];
}

/** posixpath.normpath, for the final abspath step. */
function normpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const comp of p.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (!initial && out.length === 0) || (out.length && out[out.length - 1] === '..')) out.push(comp);
    else if (out.length) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}

/**
 * Python `str(Path(p).resolve())`: relative paths against the process cwd, no `~` expansion, no trimming,
 * symlinks followed component by component, missing tails kept.
 */
export function resolveWorkspacePath(p: string): string {
  if (p.includes('\0')) throw new Error('lstat: embedded null character in path');
  const abs = p.startsWith('/') ? p : pjoin(process.cwd(), p);
  const [resolved] = joinRealpath('', abs, new Map());
  return normpath(resolved);
}

/** First 8 hex chars of sha256(utf-8 path). */
export function hash8(resolvedPath: string): string {
  return createHash('sha256').update(resolvedPath, 'utf8').digest('hex').slice(0, 8);
}

/** task-mcp's project id for a workspace path (resolves it first). */
export function projectIdFor(workspacePath: string): string {
  return hash8(resolveWorkspacePath(workspacePath));
}

/** Python `Path(p).name` of a resolved path. */
export function baseName(resolvedPath: string): string {
  const i = resolvedPath.lastIndexOf('/');
  return resolvedPath.slice(i + 1);
}

export function masterDbPath(home: string): string {
  return path.join(home, 'master.db');
}

export function projectDbPath(home: string, id: string): string {
  return path.join(home, 'databases', `project_${id}.db`);
}
