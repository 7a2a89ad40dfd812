/**
 * Types derived from openapi.yaml (via generated/), shared by the HTTP layer and the service layer so
 * that neither restates the contract: schema aliases and each operation's query as the handler sees
 * it (with the spec's defaults applied).
 */
import type { components, operations } from '../generated/openapi.js';
import type { OPERATION_PARAMS } from '../generated/operation-params.js';

export type Schemas = components['schemas'];
export type OperationId = keyof operations;

type RawQuery<O> = O extends { parameters: { query?: infer X } } ? ([X] extends [undefined] ? object : NonNullable<X>) : object;
type Defaults<K extends OperationId> = (typeof OPERATION_PARAMS)[K]['defaults'];

/** The operation's query with every defaulted parameter present (the typed routes apply the defaults). */
export type QueryOf<K extends OperationId> = Omit<RawQuery<operations[K]>, keyof Defaults<K>> & {
  [P in keyof Defaults<K> & keyof RawQuery<operations[K]>]-?: Exclude<RawQuery<operations[K]>[P], undefined>;
};

/** Whether the operation names a workspace (takes `workspace_path`). */
export type TakesWorkspace<K extends OperationId> = 'workspace_path' extends keyof RawQuery<operations[K]> ? true : false;
