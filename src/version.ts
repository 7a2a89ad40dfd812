import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (holds package.json and openapi.yaml), whether running from src/ or dist/src/. */
export const PROJECT_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'openapi.yaml')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export const OPENAPI_PATH = path.join(PROJECT_ROOT, 'openapi.yaml');

export const VERSION: string = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
