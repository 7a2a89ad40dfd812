/**
 * One service run: start the service in one configuration, sample its memory (and its MCP children's)
 * for the whole run, measure a list of cases, stop it. Every paired case is followed at once by the
 * same request against the bare baseline, so each ratio compares two rows measured back to back (the
 * machine is shared: its load drifts over minutes, far less over seconds).
 */
import type { Case, CaseId } from '../cases.js';
import type { BenchHarness } from '../harness.js';
import { type Child, sampleMemory } from '../procs.js';
import type { BenchTransport, MemoryRow } from '../types.js';

export interface PhaseSpec {
  transport: BenchTransport;
  /** The middle part of its row keys, e.g. `cached`, `uncached`, `pool1`. */
  name: string;
  /** How it differs from the default configuration, for the report. */
  config: string;
  env: Record<string, string>;
  poolSize: number;
  cases: CaseId[];
  /** The cases measured against the baseline too. */
  paired: ReadonlySet<CaseId>;
  /** The baseline, or how to get it once the service is up (the first run captures its answers). */
  bare: Child | ((service: Child) => Promise<Child>);
}

export const rowKey = (transport: BenchTransport, phase: string, id: CaseId) => `${transport}/${phase}/${id}`;
export const bareKey = (serviceKey: string, id: CaseId) => `bare/${id}@${serviceKey}`;

export async function runPhase(h: BenchHarness, spec: PhaseSpec, cases: Record<CaseId, Case>): Promise<MemoryRow> {
  h.say(`service: ${spec.transport}, ${spec.config}`);
  const service = await h.startService({ MCP_TRANSPORT: spec.transport, ...spec.env });
  try {
    const bare = typeof spec.bare === 'function' ? await spec.bare(service) : spec.bare;
    const sampler = sampleMemory(service.pid);
    for (const id of spec.cases) {
      const key = rowKey(spec.transport, spec.name, id);
      await h.measure(key, `${spec.transport}, ${spec.config}`, service.url, cases[id]);
      if (spec.paired.has(id)) await h.measure(bareKey(key, id), 'bare Express', bare.url, cases[id]);
    }
    const memory = sampler.stop();
    return { transport: spec.transport, phase: spec.name, config: spec.config, poolSize: spec.poolSize, memory, peakMb: Math.round((memory.serviceHwmMb + memory.childrenHwmMb) * 10) / 10 };
  } finally {
    await h.stop(service);
  }
}
