/**
 * `If-Match` as one atomic step. The caller's ETag is compared with the resource's current one; then the
 * write runs with the version that ETag was computed from, and the backend's compare-and-set tool
 * (`update_task_checked`, ...) refuses it if the stored row changed in between (-> 412). Backends
 * without those tools get the check and the write under a per-resource lock instead, which covers every
 * writer going through this service (docs/decisions/0012-if-match.md).
 */
import { ifMatchAllows } from '../domain/etag.js';
import { PreconditionFailedError } from '../domain/errors.js';
import type { ResourceLocks } from './resource-locks.js';
import type { ToolBackend } from './tool-backend.js';

export interface Current<V> {
  etag: string;
  /** What the compare-and-set tool compares (e.g. the stored `updated_at`). */
  version: V;
}

export class ConditionalWrites {
  constructor(
    private readonly backend: ToolBackend,
    private readonly locks: ResourceLocks,
  ) {}

  /**
   * Runs a write guarded by `ifMatch` (absent: unguarded). `checkedTool` names the compare-and-set tool;
   * `write(version)` gets the version to send it, or `undefined` when the plain tool must be used.
   */
  async run<V, T>(
    key: string,
    ifMatch: string | undefined,
    checkedTool: string,
    current: () => Promise<Current<V>>,
    write: (version: V | undefined) => Promise<T>,
  ): Promise<T> {
    if (ifMatch === undefined) return write(undefined);
    const check = async () => {
      const now = await current();
      if (!ifMatchAllows(ifMatch, now.etag)) throw new PreconditionFailedError('The resource has changed: its ETag no longer matches If-Match');
      return now;
    };
    if (await this.backend.hasTool(checkedTool)) return write((await check()).version);
    return this.locks.withLock(key, async () => {
      await check();
      return write(undefined);
    });
  }
}
