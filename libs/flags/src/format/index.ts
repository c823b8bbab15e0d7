/** The Flipt declarative file format: discover, parse, validate, merge, serialise. */
export {
  DIAGNOSTIC_CODES,
  formatDiagnostic,
  toFieldViolations,
  type Diagnostic,
  type SourcePosition,
} from './diagnostics.js';
export { DEFAULT_LIMITS, DEFAULT_TREE_LIMITS, type LoadLimits, type TreeLimits } from './limits.js';
export {
  MAX_JSON_DEPTH,
  assertJsonDepth,
  jsonDepthViolation,
  parseJsonWithLimits,
  type JsonParseLimits,
} from './json-limits.js';
export { compileGlob, globMatch } from './glob.js';
export {
  DEFAULT_INCLUDES,
  INDEX_FILES,
  compareWalkOrder,
  discoverFeatureFiles,
} from './discover.js';
export { parseFeatureFile, type ParseFileResult, type SourcedDocument } from './parse-file.js';
export type { Locator } from './source-map.js';
export { validateEnvironment, type ValidationResult } from './validate-environment.js';
export { loadEnvironment, type FeatureFileParser, type LoadResult } from './load-environment.js';
export { serializeDocument, type SerializeOptions } from './serialize.js';
export { serializeEnvironment, type SerializeEnvironmentOptions } from './serialize-environment.js';
export { featureFileJsonSchema } from './json-schema.js';
