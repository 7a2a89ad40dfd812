/**
 * The goal rows of issue 17 (P2-P7), the "nothing gets slower" rows against the run before it, and
 * the transport comparison, all computed from the measured rows. Every ratio compares a service row
 * with the bare row measured right after it.
 */
import { BEFORE } from './before.js';
import type { CaseId } from './cases.js';
import { bareKey, rowKey } from './scenarios/service-phase.js';
import type { BenchTransport, CallRow, GoalRow, LoadRow, MemoryRow, Target, TransportRow } from './types.js';

/** Memory limit of P6 (MB, service + MCP backends, default configuration). */
export const P6_LIMIT_MB = 250;

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—');

function metBy(value: number, target?: Target): boolean | undefined {
  if (!target || !Number.isFinite(value)) return target ? false : undefined;
  return target.op === '>=' ? value >= target.bound : value <= target.bound;
}

function goal(id: string, name: string, value: number, detail: string, target?: Target, before?: number): GoalRow {
  return { id, name, value, detail, target, met: metBy(value, target), before };
}

/** "Within 10 % or better" of a before figure, for a ratio where higher is better. */
const notSlower = (before: number): Target => ({ op: '>=', bound: Math.round(before * 0.9 * 1000) / 1000 });

export interface GoalInputs {
  rows: LoadRow[];
  calls: CallRow[];
  memory: MemoryRow[];
  transports: BenchTransport[];
  defaults: { transport: BenchTransport; poolSize: number };
  poolSizes: number[];
  sizes: { small: number; large: number };
}

export function computeGoals(input: GoalInputs): { goals: GoalRow[]; regressions: GoalRow[]; transports: TransportRow[] } {
  const byKey = new Map(input.rows.map((r) => [r.key, r]));
  const row = (key: string) => {
    const r = byKey.get(key);
    if (!r) throw new Error(`bench: missing row ${key}`);
    return r;
  };
  const D = input.defaults.transport;
  const service = (phase: string, id: CaseId, transport: BenchTransport = D) => row(rowKey(transport, phase, id));
  const bareOf = (phase: string, id: CaseId, transport: BenchTransport = D) => row(bareKey(rowKey(transport, phase, id), id));
  /** req/s of a service row / req/s of the bare row measured right after it. */
  const throughput = (id: string, name: string, phase: string, c: CaseId, target?: Target, before?: number, transport: BenchTransport = D) => {
    const s = service(phase, c, transport);
    const b = bareOf(phase, c, transport);
    return goal(id, name, s.reqPerSec / b.reqPerSec, `${fmt(s.reqPerSec)} vs ${fmt(b.reqPerSec)} req/s`, target, before);
  };
  const tail = (id: string, name: string, phase: string, warm: boolean, bound: number, before?: number) => {
    const s = service(phase, 'list64');
    const b = bareOf(phase, 'list64');
    const [sv, bv] = warm ? [s.p99Warm, b.p99Warm] : [s.p99, b.p99];
    return goal(id, name, sv / bv, `${fmt(sv, 1)} vs ${fmt(bv, 1)} ms`, { op: '<=', bound }, before);
  };
  const memoryOf = (transport: BenchTransport, phase: string) => input.memory.find((m) => m.transport === transport && m.phase === phase);
  const many = service('cached', 'list64').connections;

  const goals: GoalRow[] = [];
  goals.push(throughput('P2', 'cached list req/s / bare Express', 'cached', 'list', { op: '>=', bound: 1 }, BEFORE.cachedList));
  goals.push(throughput('P2', 'cached GET /tasks/{id} with If-None-Match (304) req/s / bare Express 304', 'cached', 'get304', { op: '>=', bound: 1 }));
  goals.push(throughput('P3', 'uncached list req/s / bare Express', 'uncached', 'list', { op: '>=', bound: 0.25 }, BEFORE.uncachedList));
  {
    const s = service('uncached', 'listSmall');
    const l = service('uncached', 'listLarge');
    goals.push(goal('P4', `uncached list p50 at ${fmt(input.sizes.large)} tasks / ${fmt(input.sizes.small)} tasks`, l.p50 / s.p50, `${fmt(l.p50, 2)} / ${fmt(s.p50, 2)} ms`, { op: '<=', bound: 1.5 }, BEFORE.p4Uncached));
  }
  goals.push(tail('P5', `cached list p99 / bare p99, ${many} connections`, 'cached', false, 2, BEFORE.p5Cached));
  goals.push(tail('P5', `cached list p99 / bare p99, ${many} connections, without each connection's first response`, 'cached', true, 2));
  goals.push(tail('P5', `uncached list p99 / bare p99, ${many} connections`, 'uncached', false, 10));
  goals.push(tail('P5', `uncached list p99 / bare p99, ${many} connections, without each connection's first response`, 'uncached', true, 10));
  {
    const m = memoryOf(D, 'cached');
    const detail = m ? `service ${fmt(m.memory.serviceHwmMb, 1)} + MCP children ${fmt(m.memory.childrenHwmMb, 1)} MB (${D}, pool ${input.defaults.poolSize})` : 'not measured';
    goals.push(goal('P6', 'peak RSS MB, default configuration under load', m?.peakMb ?? Number.NaN, detail, { op: '<=', bound: P6_LIMIT_MB }, BEFORE.peakMb['embedded, pool 2, cache on']));
  }
  goals.push(throughput('P7', 'POST /tasks req/s / bare Express POST', 'cached', 'post', { op: '>=', bound: 0.25 }, BEFORE.post));
  goals.push(throughput('P7', 'the same with TASK_MCP_SYNCHRONOUS=NORMAL (no fsync per commit; informative, not the default)', 'sync-normal', 'post'));

  const regressions: GoalRow[] = [];
  regressions.push(throughput('=', 'cached GET /tasks/{id} req/s / bare', 'cached', 'get', notSlower(BEFORE.getCached), BEFORE.getCached));
  regressions.push(throughput('=', 'cached search req/s / bare', 'cached', 'search', notSlower(BEFORE.searchCached), BEFORE.searchCached));
  regressions.push(throughput('=', 'uncached GET /tasks/{id} req/s / bare', 'uncached', 'get', notSlower(BEFORE.getUncached), BEFORE.getUncached));
  regressions.push(throughput('=', 'uncached search req/s / bare', 'uncached', 'search', notSlower(BEFORE.searchUncached), BEFORE.searchUncached));
  {
    const s = service('cached', 'listSmall');
    const l = service('cached', 'listLarge');
    regressions.push(goal('=', `cached list p50 at ${fmt(input.sizes.large)} / ${fmt(input.sizes.small)} tasks`, l.p50 / s.p50, `${fmt(l.p50, 2)} / ${fmt(s.p50, 2)} ms`, { op: '<=', bound: 1.5 }, BEFORE.p4Cached));
  }
  for (const t of input.transports) {
    const pooled = input.calls.find((c) => c.transport === t && c.mode === 'pooled gateway.call');
    const perCall = input.calls.find((c) => c.transport === t && c.mode === 'new session per call');
    if (!pooled || !perCall) continue;
    const target = t === 'embedded' ? { op: '>=' as const, bound: 100 } : undefined;
    regressions.push(goal('=', `MCP get_task p50, new session per call / pooled (${t})`, perCall.p50 / pooled.p50, `${fmt(perCall.p50, 2)} / ${fmt(pooled.p50, 2)} ms`, target, BEFORE.sessionPerCall[t]));
  }
  for (const t of input.transports) {
    for (const size of input.poolSizes) {
      const phase = size === input.defaults.poolSize ? 'uncached' : `pool${size}`;
      const before = BEFORE.pool[t]?.[size];
      regressions.push(throughput('=', `uncached list req/s / bare, ${t}, pool ${size}`, phase, 'list', before ? notSlower(before) : undefined, before, t));
    }
  }
  for (const t of input.transports) {
    const m = memoryOf(t, 'uncached');
    const before = BEFORE.peakMb[`${t}, pool ${input.defaults.poolSize}, cache off`];
    if (m) regressions.push(goal('=', `peak RSS MB, ${t}, pool ${input.defaults.poolSize}, cache off`, m.peakMb, `service ${fmt(m.memory.serviceHwmMb, 1)} + children ${fmt(m.memory.childrenHwmMb, 1)} MB`, before ? { op: '<=', bound: Math.round(before * 1.1) } : undefined, before));
  }

  const transports: TransportRow[] = input.transports.map((t) => {
    const cachedMem = memoryOf(t, 'cached');
    return {
      transport: t,
      cachedList: service('cached', 'list', t).reqPerSec / bareOf('cached', 'list', t).reqPerSec,
      uncachedList: service('uncached', 'list', t).reqPerSec / bareOf('uncached', 'list', t).reqPerSec,
      uncachedListReqPerSec: service('uncached', 'list', t).reqPerSec,
      post: service('cached', 'post', t).reqPerSec / bareOf('cached', 'post', t).reqPerSec,
      postReqPerSec: service('cached', 'post', t).reqPerSec,
      uncachedP99Warm: service('uncached', 'list64', t).p99Warm,
      peakMbCached: cachedMem?.peakMb ?? Number.NaN,
      peakMbUncached: memoryOf(t, 'uncached')?.peakMb ?? Number.NaN,
      meetsP6: (cachedMem?.peakMb ?? Number.POSITIVE_INFINITY) <= P6_LIMIT_MB,
    };
  });
  return { goals, regressions, transports };
}
