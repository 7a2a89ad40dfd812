/**
 * What a key may do (`API_KEY_SCOPES`): read-only keys may not change anything; project-bound keys see
 * and touch only their projects. Checked for every operation by the typed routes (src/http/typed-routes.ts:
 * writes, a `project_id` in the path, the workspace a request names) and by the few handlers that list
 * across projects (projects, events).
 */
import { ForbiddenError } from './errors.js';

export interface Caller {
  id: string;
  access: 'read' | 'read_write';
  projects: readonly string[] | null;
}

export function assertMayWrite(caller: Caller): void {
  if (caller.access !== 'read_write') throw new ForbiddenError(`Key ${caller.id} is read-only (API_KEY_SCOPES)`, 'read_only_key');
}

export function mayUseProject(caller: Caller, projectId: string): boolean {
  return caller.projects === null || caller.projects.includes(projectId);
}

export function assertMayUseProject(caller: Caller, projectId: string): void {
  if (!mayUseProject(caller, projectId)) throw new ForbiddenError(`Key ${caller.id} may not use project ${projectId} (API_KEY_SCOPES)`, 'project_not_allowed');
}

/** Keys bound to projects cannot see data that spans every project (metrics). */
export function assertAllProjects(caller: Caller): void {
  if (caller.projects !== null) throw new ForbiddenError(`Key ${caller.id} is limited to some projects; this needs a key for every project`, 'project_not_allowed');
}
