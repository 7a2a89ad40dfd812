/**
 * Keeps the benchmark harness (bench/) from rotting: a tiny quick run over tiny projects must produce
 * every row, every goal row with its target, the transport comparison and the Markdown, with no
 * errors. No timing assertions: the figures of a quick run on a busy test machine mean nothing.
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/index.js';

describe('bench harness (quick smoke run)', () => {
  it('measures every goal row against its baseline and renders the report', async () => {
    const report = await runBench({ quick: true, amount: 20, connections: 4, manyConnections: 6 });

    const failed = [...report.rows, ...report.calls].filter((r) => r.failed);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(report.failed).toBe(false);

    const D = report.defaults.transport;
    for (const key of [`${D}/cached/list`, `bare/list@${D}/cached/list`, `${D}/cached/get304`, `${D}/uncached/list64`, `${D}/cached/post`, `bare/post@${D}/cached/post`]) {
      expect(report.rows.map((r) => r.key), key).toContain(key);
    }
    for (const r of report.rows) {
      expect(r.requests, r.key).toBeGreaterThan(0);
      expect(Number.isFinite(r.p50) && Number.isFinite(r.p99), r.key).toBe(true);
    }
    // Every goal of issue 17 is there with a finite value, a target and a verdict.
    expect(new Set(report.goals.map((g) => g.id))).toEqual(new Set(['P2', 'P3', 'P4', 'P5', 'P6', 'P7']));
    for (const g of [...report.goals, ...report.regressions]) expect(Number.isFinite(g.value), g.name).toBe(true);
    for (const g of report.goals.filter((x) => x.target)) expect(typeof g.met, g.name).toBe('boolean');
    expect(report.goals.filter((g) => g.target).length).toBeGreaterThanOrEqual(10);
    expect(report.regressions.some((g) => g.before !== undefined && g.target)).toBe(true);

    expect(report.transports.map((t) => t.transport).sort()).toEqual(['embedded', 'inprocess', 'worker']);
    expect(report.memory.every((m) => m.memory.serviceHwmMb > 0)).toBe(true);
    expect(report.calls.map((c) => c.transport)).toContain('worker');

    expect(report.markdown).toContain('## Goals (issue 17)');
    expect(report.markdown).toContain('| Goal | What | Before | After | Target | Result | Figures (this run) |');
    expect(report.markdown).toContain('npm run bench:scale');
    expect(report.markdown).toContain(`Node ${process.version}`);
  }, 120_000);
});
