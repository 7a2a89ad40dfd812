/** The shapes the bench modules pass around: options, measured rows, goal rows, the report. */
import type { Measured } from './load.js';
import type { MemoryPeak } from './procs.js';

/** The transports with a local store that the bench compares (stdio and http need an outside server). */
export const BENCH_TRANSPORTS = ['embedded', 'worker', 'inprocess'] as const;
export type BenchTransport = (typeof BENCH_TRANSPORTS)[number];

export interface BenchOptions {
  /** A tiny run for the smoke test: tiny projects, a few requests per row. */
  quick?: boolean;
  /** Measured seconds per load row (default 4; quick mode uses `amount` instead). */
  durationSec?: number;
  /** Unmeasured warm-up seconds before each load row (default 1, quick 0). */
  warmupSec?: number;
  /** Requests per load row instead of a duration (default: none; quick: 40). */
  amount?: number;
  /** Connections of the ordinary rows (default 10). */
  connections?: number;
  /** Connections of the tail-latency rows (P5; default 64, quick 8). */
  manyConnections?: number;
  /** Task counts of the small / medium / large projects (default 1,000 / 10,000 / 100,000). */
  sizes?: { small: number; medium: number; large: number };
  /** Pool sizes compared per transport, cache off (default 1, 2, 4; quick: the default size only). */
  poolSizes?: number[];
  transports?: BenchTransport[];
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<Omit<BenchOptions, 'log'>>;

/** One autocannon row. */
export interface LoadRow extends Measured {
  /** Stable id the goals look rows up by, e.g. `embedded/cached/list`, `bare/list@embedded/cached/list`. */
  key: string;
  /** What was requested, e.g. `GET /tasks?limit=50`. */
  label: string;
  /** The service configuration (or `bare Express`). */
  config: string;
  connections: number;
  failed: boolean;
}

/** Sequential MCP tool calls from the bench process (pooled vs a new session per call). */
export interface CallRow {
  transport: BenchTransport;
  mode: 'pooled gateway.call' | 'new session per call';
  calls: number;
  errors: number;
  p50: number;
  p99: number;
  mean: number;
  failed: boolean;
}

export interface MemoryRow {
  transport: BenchTransport;
  /** The phase (`cached`, `uncached`, `pool1`...) and its description. */
  phase: string;
  config: string;
  poolSize: number;
  memory: MemoryPeak;
  /** VmHWM of the service plus every MCP child's VmHWM (what P6 limits). */
  peakMb: number;
}

export interface Target {
  op: '>=' | '<=';
  bound: number;
}

/** A figure with its target, met or not, and the figure before issue 17 where one is comparable. */
export interface GoalRow {
  id: string;
  name: string;
  value: number;
  /** How the value was computed, with the raw figures. */
  detail: string;
  target?: Target;
  met?: boolean;
  before?: number;
}

/** One transport side by side with the others, default pool size. Ratios against the bare rows of the same run. */
export interface TransportRow {
  transport: BenchTransport;
  cachedList: number;
  uncachedList: number;
  uncachedListReqPerSec: number;
  post: number;
  postReqPerSec: number;
  /** p99 ms of the uncached list at many connections, without each connection's first response. */
  uncachedP99Warm: number;
  /** P6 figure in the default configuration, and with the cache off. */
  peakMbCached: number;
  peakMbUncached: number;
  meetsP6: boolean;
}

export interface BenchReport {
  machine: { cpu: string; cpus: number; node: string; date: string; totalMemGb: number; loadAverage: number[] };
  options: ResolvedOptions;
  defaults: { transport: BenchTransport; poolSize: number };
  rows: LoadRow[];
  calls: CallRow[];
  memory: MemoryRow[];
  goals: GoalRow[];
  /** "Nothing gets slower": the rows of the previous results with a comparable ratio. */
  regressions: GoalRow[];
  transports: TransportRow[];
  seedSeconds: number;
  failed: boolean;
  markdown: string;
}
