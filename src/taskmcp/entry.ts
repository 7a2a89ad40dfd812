/** Absolute paths of the built entry points (`dist/src/taskmcp/*.js`), from src/ (tests) or dist/. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function builtEntry(file: string): string {
  const sibling = fileURLToPath(new URL(`./${file}`, import.meta.url));
  if (sibling.includes('/dist/') && existsSync(sibling)) return sibling;
  return fileURLToPath(new URL(`../../dist/src/taskmcp/${file}`, import.meta.url));
}

/** The stdio server, `dist/src/taskmcp/stdio-main.js`. */
export function stdioEntryPath(): string {
  return builtEntry('stdio-main.js');
}

/** The worker-thread server, `dist/src/taskmcp/worker-main.js`. */
export function workerEntryPath(): string {
  return builtEntry('worker-main.js');
}
