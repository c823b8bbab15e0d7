import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { parseFeatureFile } from './parse-file.js';

const parse = (path: string, content: string | Uint8Array) => parseFeatureFile(path, content);
const errors = (path: string, content: string | Uint8Array) =>
  parse(path, content).errors.map(formatDiagnostic);

describe('parseFeatureFile', () => {
  it('reads YAML with 1.2 core-schema semantics: on/yes/no are strings, 012 is a number', () => {
    const doc = parse(
      'a.yaml',
      'flags:\n  - key: f\n    name: yes\n    variants: [{key: on}, {key: off, attachment: {n: 012, y: no, t: true, z: ~}}]\n',
    ).documents[0]?.document;
    expect(doc?.flags[0]?.name).toBe('yes');
    expect(doc?.flags[0]?.variants.map((v) => v.key)).toEqual(['on', 'off']);
    expect(doc?.flags[0]?.variants[1]?.attachment).toEqual({ n: 12, y: 'no', t: true, z: null });
  });

  it('keeps the written text of numbers in string fields, as Go decodes them', () => {
    const doc = parse(
      'a.yaml',
      'version: 1.0\nflags:\n  - {key: 1, name: 0x1F, variants: [{key: 2}], rules: [{segment: 12, distributions: [{variant: 2, rollout: 50}]}]}\n',
    ).documents[0]?.document;
    expect(doc?.version).toBe('1.0');
    expect(doc?.flags[0]).toMatchObject({
      key: '1',
      name: '0x1F',
      variants: [{ key: '2' }],
      rules: [{ segment: { keys: ['12'] }, distributions: [{ variant: '2', rollout: 50 }] }],
    });
  });

  it('reads multi-document YAML streams, skipping empty documents, with per-document indexes', () => {
    const result = parse('a.yaml', 'namespace: one\n---\n---\nnamespace: two\n...\n');
    expect(result.errors).toEqual([]);
    expect(result.documents.map((d) => `${d.index}:${d.document.namespace.key}`)).toEqual([
      '0:one',
      '2:two',
    ]);
  });

  it('reads concatenated JSON values and reports positions in the whole file', () => {
    const result = parse(
      'a.json',
      '{"namespace": "one"}\n\n  {"namespace": "two", "flags": [{"key": "k", "name": "n", "enabled": "yes"}]}',
    );
    expect(result.documents.map((d) => d.document.namespace.key)).toEqual(['one']);
    expect(result.errors.map(formatDiagnostic)).toEqual([
      'a.json:3:71: flags[0].enabled: expected a boolean, got the string "yes" (change the value to a boolean)',
    ]);
  });

  it('warns that Flipt v2 cannot read string rule segments in JSON files', () => {
    const json =
      '{"flags": [{"key": "f", "name": "F", "rules": [{"segment": "s"}]}], "segments": [{"key": "s", "name": "S", "match_type": "ALL_MATCH_TYPE"}]}';
    expect(parse('ns/features.json', json).warnings.map(formatDiagnostic)).toEqual([
      'ns/features.json:1:60: flags[0].rules[0].segment: warning: Flipt v2 cannot read a string segment in a JSON file (write "segment": {"keys": ["s"], "operator": "OR_SEGMENT_OPERATOR"})',
    ]);
  });

  it('rejects what YAML flow syntax tolerates but JSON does not', () => {
    expect(errors('a.json', "{'namespace': 'x'}")).toEqual([
      "a.json:1:2: Expected property name or '}' (fix the JSON syntax)",
    ]);
  });

  it('handles a BOM and CRLF line endings; columns count from the line start', () => {
    const bytes = new TextEncoder().encode(
      '\uFEFFnamespace: x\r\nflags:\r\n  - key: "bad key"\r\n    name: x\r\n',
    );
    expect(errors('a.yml', bytes)).toEqual([
      'a.yml:3:10: flags[0].key: "bad key" must match ^[-_,A-Za-z0-9]+$ (letters, digits, "-", "_" and ",")',
    ]);
  });

  it('picks the decoder by extension and refuses others', () => {
    expect(errors('ns/features.txt', 'flags: []')).toEqual([
      'ns/features.txt: unexpected extension (feature files end in .yaml, .yml or .json; rename the file or exclude it)',
    ]);
    expect(parse('ns/FEATURES.YML', 'flags: []').documents).toHaveLength(1);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(errors('a.yaml', 'flags:\n  - key: [unclosed\n')).toEqual([
      'a.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ] (fix the YAML/JSON syntax)',
    ]);
    expect(errors('a.yaml', 'a: *missing\n')).toEqual([
      'a.yaml:1:1: Unresolved alias (the anchor must be set before the alias): missing (fix the YAML syntax)',
    ]);
  });

  it('a non-object document is an error at its start', () => {
    expect(errors('a.yaml', '- 1\n')).toEqual([
      'a.yaml:1:1: expected an object, got a list (change the value to an object)',
    ]);
  });

  it('reports every problem of every document, in source order', () => {
    expect(
      errors(
        'a.yaml',
        'flags:\n  - {key: a}\n---\nsegments:\n  - {key: s, name: S, match_type: SOME}\n',
      ),
    ).toEqual([
      'a.yaml:2:5: flags[0].name: missing required field "name" (add it)',
      'a.yaml:5:35: segments[0].match_type: "SOME" is not allowed (use one of ALL_MATCH_TYPE, ANY_MATCH_TYPE)',
    ]);
  });
});
