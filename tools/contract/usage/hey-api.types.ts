/** The types `shapes.ts` checks, as @hey-api/openapi-ts names them. */
export type { Entity, LinkedEntity, LinkedTask, Project, ProjectDetail, Task, TaskTreeNode, TaskWithEntities } from 'generated-client';
