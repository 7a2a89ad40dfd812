/**
 * `npm run bench`: the full benchmark (a few minutes on 2 cores). Writes bench/RESULTS.md and prints it.
 * Environment: BENCH_DURATION_SEC, BENCH_WARMUP_SEC, BENCH_CONNECTIONS override the defaults;
 * BENCH_QUICK=1 runs the tiny smoke version; BENCH_OUT names another output file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runBench } from './index.js';
import { projectRoot } from './procs.js';

const num = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

const report = await runBench({
  quick: process.env.BENCH_QUICK === '1',
  durationSec: num('BENCH_DURATION_SEC'),
  warmupSec: num('BENCH_WARMUP_SEC'),
  connections: num('BENCH_CONNECTIONS'),
  log: (line) => process.stderr.write(`${line}\n`),
});
const out = process.env.BENCH_OUT ?? path.join(projectRoot(), 'bench', 'RESULTS.md');
writeFileSync(out, report.markdown);
process.stdout.write(`${report.markdown}\nwritten to ${out}\n`);
process.exitCode = report.failed ? 1 : 0;
