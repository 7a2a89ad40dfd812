/** The types `shapes.ts` checks, as orval names them. */
export type { Entity, LinkedEntity, LinkedTask, Project, ProjectDetail, Task, TaskTreeNode, TaskWithEntities } from 'generated-client';
