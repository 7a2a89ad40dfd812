/**
 * Keeps the benchmark harness (bench/) from rotting: a tiny quick run over tiny projects must produce
 * every scenario row, the ratios and the Markdown table, with no errors. No timing assertions: the
 * figures of a quick run on a busy test machine mean nothing.
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/index.js';

describe('bench harness (quick smoke run)', () => {
  it('runs every scenario against its baseline and renders the report', async () => {
    const report = await runBench({ quick: true, amount: 20, connections: 4 });

    const failed = report.rows.filter((r) => r.failed);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(report.failed).toBe(false);

    const scenarios = new Set(report.rows.map((r) => r.scenario));
    for (const s of ['1', '2', '3', '4', '5', 'baseline']) expect(scenarios, `scenario ${s}`).toContain(s);
    for (const name of ['GET /tasks?limit=50, cache off', 'GET /tasks?limit=50, cache on', 'bare GET /tasks?limit=50', 'POST /tasks', 'bare POST /tasks']) {
      expect(report.rows.map((r) => r.name)).toContain(name);
    }
    for (const r of report.rows) {
      expect(r.requests, r.name).toBeGreaterThan(0);
      expect(Number.isFinite(r.p50) && Number.isFinite(r.p99), r.name).toBe(true);
    }
    // Every ratio is a finite number; the four targeted groups are all there.
    for (const x of report.ratios) expect(Number.isFinite(x.value), x.name).toBe(true);
    for (const prefix of ['1. req/s cached', '1. req/s uncached', '3. p50 latency', '4. p50 list']) {
      expect(report.ratios.some((x) => x.name.startsWith(prefix)), prefix).toBe(true);
    }
    expect(report.pool.map((p) => p.transport).sort()).toEqual(['embedded', 'inprocess']);
    expect(report.memory.every((m) => m.memory.serviceHwmMb > 0)).toBe(true);

    expect(report.markdown).toContain('| # | Case | req/s | p50 ms | p99 ms | requests | non-2xx | errors | result |');
    expect(report.markdown).toContain('## Ratios and targets');
    expect(report.markdown).toContain(`Node ${process.version}`);
  }, 120_000);
});
