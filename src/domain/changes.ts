/**
 * A change to announce (task, entity, link or project), as the write models and the file watcher
 * report it; src/events/ turns it into a `ChangeEvent` for SSE subscribers. `version` identifies this
 * exact state (e.g. the new `updated_at`), so a change seen twice — written here and then found in the
 * files — is announced once.
 */
import type { Schemas } from '../contract.js';

export interface Change {
  type: Schemas['ChangeEvent']['type'];
  workspacePath: string;
  projectId?: string;
  taskId?: number;
  entityId?: number;
  /** ETag of the new representation (null after a delete or when unknown). */
  etag: string | null;
  /** The fields that changed, when known. */
  changed: string[] | null;
  source: 'api' | 'external';
  version: string;
}

/** What identifies a change: enough to recognise it when it is seen again. */
export type ChangeKey = Pick<Change, 'type' | 'workspacePath' | 'projectId' | 'taskId' | 'entityId' | 'version'>;

/**
 * Never throws: announcing is best effort and must not fail the write that caused it. A write claims
 * its change the moment the backend confirms it (so the file watcher, which sees the same commit,
 * recognises it as already known) and publishes it once it has the new representation.
 */
export interface ChangeNotifier {
  /** True when this change was not known yet (the caller should then `publish` it). */
  claim(change: ChangeKey): Promise<boolean>;
  publish(change: Change): Promise<void>;
  /** claim + publish, for changes found all at once (the file watcher). */
  changed(change: Change): Promise<void>;
}
