/**
 * Constants of the model that need no schema, in a module of their own: the engine imports them
 * without building the zod schemas (the data plane bundles the engine without zod and yaml).
 */

/** The default namespace every environment has. */
export const DEFAULT_NAMESPACE = 'default';
