// One implementation for tests and benchmarks.
export { freePort } from '../../bench/procs.js';
