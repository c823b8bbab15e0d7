/**
 * `@switchyard/flags/runtime`: the part of the package that needs neither zod nor yaml (errors,
 * the engine over compiled snapshots, JSON limits), for processes that evaluate all the time and
 * load flag files only sometimes. A data-plane instance imports this at start and the main entry
 * when it first builds a snapshot: the schemas and parsers are most of the package's memory.
 * Everything here is also exported by the main entry, from the same modules.
 */
export * from './errors.js';
export * from './engine/index.js';
export { DEFAULT_NAMESPACE } from './model/namespace.js';
export { DEFAULT_TREE_LIMITS, type TreeLimits } from './format/limits.js';
export { parseJsonWithLimits, type JsonParseLimits } from './format/json-limits.js';
