/** Test fixtures: the flag directory and its compiled snapshot (built without the sync module). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  compileEnvironment,
  documentSchema,
  type EnvironmentSnapshot,
  type NamespaceModel,
} from '@switchyard/flags';
import { namespaceDigest } from '../../src/sync/namespace-digest.js';

/** Directory holding `<ns>/features.yaml`. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/flags/', import.meta.url));

/** Namespaces of the fixture. */
export const FIXTURE_FILES = ['default/features.yaml', 'other/features.yaml'];

/** Compiles the fixture directory into a snapshot at `revision`. */
export function compileFixture(revision = 'a'.repeat(40), dir = FIXTURE_DIR): EnvironmentSnapshot {
  const namespaces: NamespaceModel[] = FIXTURE_FILES.map((f) => {
    const [doc] = parseAllDocuments(readFileSync(dir + f, 'utf8'));
    const d = documentSchema.parse(doc!.toJS());
    return {
      key: d.namespace.key,
      name: d.namespace.name ?? d.namespace.key,
      description: d.namespace.description,
      flags: d.flags,
      segments: d.segments,
    };
  });
  return compileEnvironment({ namespaces }, { revision, digest: namespaceDigest });
}

/** The fixture's source files (path → bytes). */
export function fixtureFiles(dir = FIXTURE_DIR): Map<string, Uint8Array> {
  return new Map(FIXTURE_FILES.map((f) => [f, readFileSync(dir + f)]));
}

/** A mix of entities and contexts that exercises every branch of the fixture. */
export const CASES: Array<{ entityId: string; context: Record<string, string> }> = [
  ...Array.from({ length: 12 }, (_, i) => ({
    entityId: `user-${i}`,
    context: { plan: 'pro', region: 'eu' },
  })),
  ...Array.from({ length: 6 }, (_, i) => ({ entityId: `pro-${i}`, context: { plan: 'pro' } })),
  ...Array.from({ length: 6 }, (_, i) => ({ entityId: `de-${i}`, context: { country: 'de' } })),
  ...Array.from({ length: 10 }, (_, i) => ({ entityId: `anon-${i}`, context: {} })),
];
