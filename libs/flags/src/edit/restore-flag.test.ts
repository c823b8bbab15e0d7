import { describe, expect, it } from 'vitest';
import { parseFeatureFile } from '../format/parse-file.js';
import { serializeDocument } from '../format/serialize.js';
import type { Document } from '../model/schema.js';
import { restoreFlag } from './restore-flag.js';

function doc(yaml: string): Document {
  const parsed = parseFeatureFile('ns/features.yaml', yaml);
  expect(parsed.errors).toEqual([]);
  return parsed.documents[0]!.document;
}

const THEN = doc(`version: "1.4"
namespace: { key: ns }
flags:
  - { key: a, name: A, type: BOOLEAN_FLAG_TYPE, enabled: false }
  - key: b
    name: B
    type: BOOLEAN_FLAG_TYPE
    enabled: true
    rollouts:
      - segment: { key: beta, value: true }
  - { key: c, name: C, type: BOOLEAN_FLAG_TYPE, enabled: false }
segments:
  - { key: beta, name: Beta, match_type: ALL_MATCH_TYPE, constraints: [] }
`);

const NOW = doc(`version: "1.4"
namespace: { key: ns }
flags:
  - { key: a, name: A, type: BOOLEAN_FLAG_TYPE, enabled: true }
  - { key: c, name: C, type: BOOLEAN_FLAG_TYPE, enabled: true }
  - { key: d, name: D, type: BOOLEAN_FLAG_TYPE, enabled: true }
segments: []
`);

describe('restoreFlag', () => {
  it('replaces the flag in place and leaves its neighbours as they are now', () => {
    const r = restoreFlag(NOW, THEN, 'a');
    expect(r.outcome).toBe('restored');
    expect(r.document.flags.map((f) => [f.key, f.enabled])).toEqual([
      ['a', false],
      ['c', true],
      ['d', true],
    ]);
    expect(r.document.segments).toBe(NOW.segments);
    // Only the restored flag's text changes when the document is written again.
    expect(serializeDocument(r.document)).toBe(
      serializeDocument(NOW).replace('enabled: true', 'enabled: false'),
    );
  });

  it('re-adds a deleted flag next to its old neighbour, with the segments it needs', () => {
    const r = restoreFlag(NOW, THEN, 'b');
    expect(r.outcome).toBe('restored');
    expect(r.document.flags.map((f) => f.key)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.addedSegments).toEqual(['beta']);
    expect(r.document.segments.map((s) => s.key)).toEqual(['beta']);
    // A segment that exists in another document of the namespace is not duplicated.
    const other = restoreFlag(NOW, THEN, 'b', { segmentExists: (k) => k === 'beta' });
    expect(other.addedSegments).toEqual([]);
    expect(other.document.segments).toEqual([]);
  });

  it('removes a flag that did not exist at the revision', () => {
    const r = restoreFlag(NOW, THEN, 'd');
    expect(r.outcome).toBe('removed');
    expect(r.document.flags.map((f) => f.key)).toEqual(['a', 'c']);
    expect(restoreFlag(NOW, undefined, 'd').outcome).toBe('removed');
  });

  it('reports unchanged when the flag already has that state or never existed', () => {
    const same = restoreFlag(THEN, THEN, 'a');
    expect(same.outcome).toBe('unchanged');
    expect(same.document).toBe(THEN);
    expect(restoreFlag(NOW, THEN, 'zzz').outcome).toBe('unchanged');
  });

  it('never mutates its inputs', () => {
    const now = structuredClone(NOW);
    const then = structuredClone(THEN);
    restoreFlag(now, then, 'b');
    restoreFlag(now, then, 'a');
    expect(now).toEqual(NOW);
    expect(then).toEqual(THEN);
  });
});
