export { ChangesTabs, EntityChangesView } from './changes-view';
export { FieldDiffView } from './field-diff-view';
export { PatchView } from './patch-view';
export { YamlDiffView } from './yaml-diff-view';
