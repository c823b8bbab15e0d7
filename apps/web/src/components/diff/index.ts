export { FieldDiffView } from './field-diff-view';
export { YamlDiffView } from './yaml-diff-view';
