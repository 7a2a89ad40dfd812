/** SIGTERM during load: in-flight requests complete, the process exits 0, and no MCP child outlives it. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { freeze, releaseFrozen, thaw } from '../helpers/freeze.js';
import { alive, descendants, waitFor } from '../helpers/processes.js';


describe('graceful shutdown', () => {
  it('finishes in-flight requests, exits 0 and leaves no children', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'tva-shutdown-'));
    const port = await freePort();
    const service = spawn(process.execPath, [path.resolve('dist/src/main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        TASK_MCP_HOME: path.join(tmp, 'store'),
        API_KEYS: 'k',
        MCP_POOL_SIZE: '2',
        LOG_LEVEL: 'warn',
        CACHE_TTL_MS: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let children: number[] = [];
    try {
      let stderr = '';
      service.stderr!.on('data', (d) => (stderr += d));
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200, 20_000, 'service up');
      children = descendants(service.pid!);
      expect(children.length).toBeGreaterThanOrEqual(2);

      // Frozen children hold every request in flight until they are thawed after the signal.
      freeze(...children);
      const inFlight = Array.from({ length: 4 }, () => fetch(`${base}/api/v1/projects`, { headers: { 'X-API-Key': 'k' } }));
      await waitFor(async () => {
        const pool = ((await (await fetch(`${base}/health`)).json()) as { pool: { busy: number; waiting: number } }).pool;
        return pool.busy + pool.waiting === 4;
      }, 10_000, 'four requests in flight');
      const exited = new Promise<number | null>((r) => service.once('exit', (code) => r(code)));
      service.kill('SIGTERM');
      thaw(...children);

      const responses = await Promise.all(inFlight);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(await exited).toBe(0);
      expect(stderr).not.toContain('Error');
      await waitFor(() => children.every((pid) => !alive(pid)), 5_000, 'children gone');
      await expect(fetch(`${base}/health`)).rejects.toThrow();
    } finally {
      // Whatever failed, nothing outlives the test.
      releaseFrozen();
      for (const pid of [service.pid!, ...children]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
