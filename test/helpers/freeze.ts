/**
 * A real fault instead of a test hook: SIGSTOP freezes an MCP child mid-work (it holds its session,
 * answers nothing), SIGCONT lets it go on. Every frozen process is remembered so a test can always
 * release them in `finally` (a stopped process would otherwise outlive a failed test).
 */
const frozen = new Set<number>();

export function freeze(...pids: number[]): void {
  for (const pid of pids) {
    process.kill(pid, 'SIGSTOP');
    frozen.add(pid);
  }
}

export function thaw(...pids: number[]): void {
  for (const pid of pids.length ? pids : [...frozen]) {
    frozen.delete(pid);
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
}

/** Thaws, then kills, everything still frozen (for `finally` / `afterAll`). */
export function releaseFrozen(): void {
  for (const pid of [...frozen]) {
    thaw(pid);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
