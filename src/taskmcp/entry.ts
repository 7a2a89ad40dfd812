import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built stdio entry, `dist/src/taskmcp/stdio-main.js`, from src/ (tests) or dist/. */
export function stdioEntryPath(): string {
  const sibling = fileURLToPath(new URL('./stdio-main.js', import.meta.url));
  if (sibling.includes('/dist/') && existsSync(sibling)) return sibling;
  return fileURLToPath(new URL('../../dist/src/taskmcp/stdio-main.js', import.meta.url));
}
