/**
 * Whether the local task-mcp store (TASK_MCP_HOME) can be used: the directory exists or can be made,
 * and it and its databases can be written. Checked at start (the service refuses to start with a
 * clear message naming the path) and by the health probes (cached briefly: probes come often).
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface StoreState {
  writable: boolean;
  /** Why not, with the path (for logs and the start-up message; health shows only the boolean). */
  problem?: string;
}

export function checkStore(home: string): StoreState {
  try {
    if (!existsSync(home)) mkdirSync(home, { recursive: true });
    accessSync(home, constants.R_OK | constants.W_OK | constants.X_OK);
    const databases = path.join(home, 'databases');
    if (existsSync(databases)) {
      accessSync(databases, constants.R_OK | constants.W_OK | constants.X_OK);
      for (const name of readdirSync(databases)) if (name.endsWith('.db')) accessSync(path.join(databases, name), constants.R_OK | constants.W_OK);
    }
    const master = path.join(home, 'master.db');
    if (existsSync(master)) accessSync(master, constants.R_OK | constants.W_OK);
    return { writable: true };
  } catch (err) {
    return { writable: false, problem: `the task-mcp store ${home} is not usable: ${(err as Error).message} (set TASK_MCP_HOME to a writable directory)` };
  }
}

/** A store check that is re-run at most every `maxAgeMs`. */
export function cachedStoreCheck(home: string, maxAgeMs = 5_000): () => StoreState {
  let last: { at: number; state: StoreState } | undefined;
  return () => {
    if (!last || Date.now() - last.at > maxAgeMs) last = { at: Date.now(), state: checkStore(home) };
    return last.state;
  };
}
