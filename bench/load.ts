/**
 * One load run: autocannon against a URL, with our own percentiles. Every response's own time comes
 * from autocannon's `response` event (fractional milliseconds; autocannon's histogram keeps whole
 * milliseconds and 2xx only). The first response of each connection is marked, so p99 can be given
 * with and without connection setup (at 64 connections most of the tail is connections waiting to be
 * accepted). req/s is responses / wall time from start to the last response.
 */
import { request as httpRequest } from 'node:http';
import autocannon from 'autocannon';

export const API_KEY = 'bench-key-0123456789abcdef';
const AUTH = { 'X-API-Key': API_KEY };

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  /** Extra request headers (e.g. If-None-Match). */
  headers?: Record<string, string>;
  /** The status every answer must have (default: any 2xx). */
  expectStatus?: number;
  connections: number;
  durationSec: number;
  /** Unmeasured seconds first (its connections are closed before the measured run opens its own). */
  warmupSec: number;
  /** A fixed number of requests instead of a duration (quick mode: autocannon's timer runs in whole seconds). */
  amount?: number;
}

/** What one load run measured. Latencies in ms. */
export interface Measured {
  reqPerSec: number;
  p50: number;
  p99: number;
  /** p99 without each connection's first response (connection setup and accept queue excluded). */
  p99Warm: number;
  requests: number;
  /** Answers with another status than expected. */
  unexpected: number;
  errors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function runOnce(spec: LoadSpec, durationSec: number, amount?: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const all: number[] = [];
    const warm: number[] = [];
    const seen = new Set<unknown>();
    let unexpected = 0;
    const started = performance.now();
    let lastAt = started;
    const ok = (status: number) => (spec.expectStatus ? status === spec.expectStatus : status >= 200 && status <= 299);
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: { ...AUTH, ...(spec.body ? { 'Content-Type': 'application/json' } : {}), ...spec.headers },
        body: spec.body,
        connections: spec.connections,
        ...(amount ? { amount } : { duration: durationSec }),
        timeout: 10,
        // autocannon ends a run on its next sampling tick: sample often so a run ends promptly.
        sampleInt: 100,
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = (lastAt - started) / 1000;
        all.sort((a, b) => a - b);
        warm.sort((a, b) => a - b);
        resolve({
          reqPerSec: seconds > 0 ? all.length / seconds : 0,
          p50: percentile(all, 50),
          p99: percentile(all, 99),
          p99Warm: percentile(warm, 99),
          requests: all.length,
          unexpected,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (client, status, _bytes, ms) => {
      all.push(ms);
      if (seen.has(client)) warm.push(ms);
      else seen.add(client);
      lastAt = performance.now();
      if (!ok(status)) unexpected++;
    });
  });
}

/** Warm-up (unmeasured), then the measured run. */
export async function runLoad(spec: LoadSpec): Promise<Measured> {
  if (spec.warmupSec > 0) await runOnce(spec, spec.warmupSec);
  return runOnce(spec, spec.durationSec, spec.amount);
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One HTTP exchange without Accept-Encoding (like autocannon), returning the raw answer. */
export function fetchRaw(url: string, method: 'GET' | 'POST', body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...AUTH };
    if (body) headers['Content-Type'] = 'application/json';
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
