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

export interface ChangeNotifier {
  /** Never throws: announcing is best effort and must not fail the write that caused it. */
  changed(change: Change): Promise<void>;
}
