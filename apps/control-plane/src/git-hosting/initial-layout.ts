import { serializeDocument, type Document } from '@switchyard/flags';

/** The file a new environment starts with: the v2 layout's default namespace. */
export function initialLayout(directory: string): Map<string, string> {
  const doc: Document = {
    version: '1.4',
    namespace: { key: 'default', name: 'Default' },
    flags: [],
    segments: [],
  };
  return new Map([
    [
      directory === '' ? 'default/features.yaml' : `${directory}/default/features.yaml`,
      serializeDocument(doc),
    ],
  ]);
}
