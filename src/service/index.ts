/**
 * The service layer as the routes see it: one read model and one write model per resource, over one
 * cache-aware ToolBackend and one WorkspaceResolver. `createServices` wires them.
 */
import type { Logger } from 'pino';
import type { ReadCache } from '../cache/read-cache.js';
import type { McpGateway } from '../mcp/gateway.js';
import { Dependents } from './dependents.js';
import { EntityReads } from './entity-reads.js';
import { EntityWrites } from './entity-writes.js';
import { ProjectReads } from './project-reads.js';
import { ProjectWrites } from './project-writes.js';
import { TaskChecks } from './task-checks.js';
import { TaskReads } from './task-reads.js';
import { TaskWrites } from './task-writes.js';
import { ToolBackend } from './tool-backend.js';
import { type ResolverOptions, WorkspaceResolver } from './workspace-resolver.js';

export interface Services {
  resolver: WorkspaceResolver;
  projects: ProjectReads;
  projectWrites: ProjectWrites;
  tasks: TaskReads;
  taskWrites: TaskWrites;
  entities: EntityReads;
  entityWrites: EntityWrites;
}

export function createServices(gateway: McpGateway, cache: ReadCache, resolverOptions: ResolverOptions, log: Logger): Services {
  const backend = new ToolBackend(gateway, cache, log);
  // Always fresh: the resolver keeps its own copy of the registry.
  const resolver = new WorkspaceResolver({ listProjects: () => backend.read('list_projects', {}, { fresh: true }) }, resolverOptions);
  const dependents = new Dependents(backend);
  const tasks = new TaskReads(backend, dependents);
  const entities = new EntityReads(backend);
  return {
    resolver,
    projects: new ProjectReads(backend, resolver),
    projectWrites: new ProjectWrites(backend, resolver),
    tasks,
    taskWrites: new TaskWrites(backend, dependents, new TaskChecks(backend), tasks),
    entities,
    entityWrites: new EntityWrites(backend, entities),
  };
}
