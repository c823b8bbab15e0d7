export {
  FlagWorkspace,
  validateFiles,
  warningViews,
  type DocumentRef,
  type WarningView,
} from './workspace.js';
export * as edits from './edits.js';
export type { NamespaceFields } from './edits.js';
export { copyEverything, copyFlag, copyNamespace } from './copy.js';
export * from './restore-flag.js';
export { objectSource, type ObjectKind, type ObjectSource } from './object-source.js';
export { patchFeatureText } from './text-patch.js';
