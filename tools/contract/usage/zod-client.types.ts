/** The types `shapes.ts` checks: openapi-zod-client exports zod schemas, a consumer infers the types. */
import type { z } from 'zod';
import type { schemas } from 'generated-client';

export type Entity = z.infer<typeof schemas.Entity>;
export type LinkedEntity = z.infer<typeof schemas.LinkedEntity>;
export type LinkedTask = z.infer<typeof schemas.LinkedTask>;
export type Project = z.infer<typeof schemas.Project>;
export type ProjectDetail = z.infer<typeof schemas.ProjectDetail>;
export type Task = z.infer<typeof schemas.Task>;
export type TaskTreeNode = z.infer<typeof schemas.TaskTreeNode>;
export type TaskWithEntities = z.infer<typeof schemas.TaskWithEntities>;
