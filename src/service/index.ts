/**
 * The service layer as the routes see it: one read model and one write model per resource, over one
 * cache-aware ToolBackend and one WorkspaceResolver. `createServices` wires them.
 */
import type { Logger } from 'pino';
import type { ReadCache } from '../cache/read-cache.js';
import type { ChangeNotifier } from '../domain/changes.js';
import type { McpGateway } from '../mcp/gateway.js';
import { ConditionalWrites } from './conditional-write.js';
import { CreatedProbes } from './created-probes.js';
import { EntityQueries } from './entity-query.js';
import { EntityReads } from './entity-reads.js';
import { EntityWrites } from './entity-writes.js';
import { ProjectReads } from './project-reads.js';
import { ProjectWrites } from './project-writes.js';
import { MemoryResourceLocks, type ResourceLocks } from './resource-locks.js';
import { TaskChecks } from './task-checks.js';
import { TaskQueries } from './task-query.js';
import { TaskReads } from './task-reads.js';
import { TaskWrites } from './task-writes.js';
import { ToolBackend } from './tool-backend.js';
import { type ResolverOptions, WorkspaceResolver } from './workspace-resolver.js';

export interface Services {
  backend: ToolBackend;
  resolver: WorkspaceResolver;
  projects: ProjectReads;
  projectWrites: ProjectWrites;
  tasks: TaskReads;
  taskWrites: TaskWrites;
  entities: EntityReads;
  entityWrites: EntityWrites;
  /** Settle keyed creates whose outcome was lost (src/http/idempotency.ts). */
  probes: CreatedProbes;
}

export interface ServiceDeps {
  gateway: McpGateway;
  cache: ReadCache;
  resolver: ResolverOptions;
  locks?: ResourceLocks;
  notifier: ChangeNotifier;
  log: Logger;
}

export function createServices({ gateway, cache, resolver: resolverOptions, locks = new MemoryResourceLocks(), notifier, log }: ServiceDeps): Services {
  const backend = new ToolBackend(gateway, cache, log);
  // Always fresh: the resolver keeps its own copy of the registry.
  const resolver = new WorkspaceResolver({ listProjects: () => backend.read('list_projects', {}, { fresh: true }) }, resolverOptions);
  const conditional = new ConditionalWrites(backend, locks);
  const taskQueries = new TaskQueries(backend);
  const entityQueries = new EntityQueries(backend);
  const tasks = new TaskReads(backend, taskQueries, entityQueries);
  const entities = new EntityReads(backend, entityQueries, taskQueries);
  const projects = new ProjectReads(backend, resolver);
  return {
    backend,
    resolver,
    projects,
    projectWrites: new ProjectWrites(backend, resolver, projects, conditional, notifier),
    tasks,
    taskWrites: new TaskWrites(backend, tasks, new TaskChecks(backend, taskQueries), conditional, notifier),
    entities,
    entityWrites: new EntityWrites(backend, entities, conditional, notifier),
    probes: new CreatedProbes(taskQueries, entityQueries),
  };
}
