import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { canonicalDocument } from '../../test/fixtures/format/arbitraries.js';
import { FIXTURES, fixture } from '../../test/fixtures/format/read-tree.js';
import { fastYamlValue } from './fast-yaml.js';
import { resolveLimits } from './limits.js';
import { loadEnvironment } from './load-environment.js';
import { parseFeatureFile } from './parse-file.js';
import { parseYamlStream, type ParseContext } from './parse-yaml.js';
import { serializeDocument } from './serialize.js';
import { lineStarts } from './source-map.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What the full parser makes of `text`: the values of its documents, or undefined on any diagnostic. */
function exactValue(text: string): { value: unknown } | undefined {
  const ctx: ParseContext = {
    file: 'a.yaml',
    limits: resolveLimits(),
    starts: lineStarts(text),
    errors: [],
    warnings: [],
    exact: true,
  };
  const docs = parseYamlStream(text, 0, 'core', ctx);
  if (ctx.errors.length > 0 || ctx.warnings.length > 0 || docs.length !== 1) return undefined;
  return { value: docs[0]?.value };
}

/** The fast path either gives up or agrees with the full parser (same values, -0 and NaN included). */
function agrees(text: string): boolean {
  const fast = fastYamlValue(text, resolveLimits().maxDepth);
  if (fast === undefined) return true;
  const exact = exactValue(text);
  return exact !== undefined && isDeepStrictEqual(fast, exact.value);
}

/** Scalars whose YAML reading is easy to get wrong. */
const TRICKY = [
  'yes',
  'no',
  'on',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'null',
  'Null',
  'NULL',
  '~',
  '',
  '012',
  '0o17',
  '0o8',
  '0x1F',
  '0xg',
  '-0',
  '+12',
  '1_000',
  '1e3',
  '1E-2',
  '.5',
  '5.',
  '-.5e1',
  '.inf',
  '-.Inf',
  '.nan',
  '.NaN',
  'NaN',
  'inf',
  '1.0',
  '2001-12-14',
  '1:30',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#a',
  '- a',
  '-a',
  '-1',
  '-',
  '?',
  '?x',
  ':x',
  ':',
  '@x',
  '`x',
  '%x',
  '&a',
  '*a',
  '!x',
  '|',
  '>',
  '[a]',
  '{a: 1}',
  'a, b',
  'a]',
  "it's",
  '"q"',
  "'q'",
  'a\\nb',
  '\\',
  ' a',
  'a ',
  'é',
  '日本',
  '😀',
  '\u00a0x',
  'x\u00a0',
  'a\u2003b',
  '<<',
  '__proto__',
  'constructor',
  'key',
  'segment',
  'keys',
  'attachment',
  'metadata',
  'version',
  'name',
  'x'.repeat(1030),
];
const scalarText = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(...TRICKY).map((s) => `"${s}"`),
  fc.constantFrom(...TRICKY).map((s) => `'${s}'`),
);
const keyText = fc.oneof(
  fc.constantFrom('key', 'name', 'segment', 'keys', 'variant', 'attachment', 'metadata', 'flags'),
  scalarText,
);

/** A YAML-looking text built from lines with random keys, scalars, indentation and comments. */
const yamlish: fc.Arbitrary<string> = fc
  .array(
    fc.record({
      indent: fc.constantFrom(0, 0, 2, 2, 4, 6, 1, 3),
      item: fc.boolean(),
      key: fc.option(keyText, { nil: undefined }),
      value: fc.oneof(
        scalarText,
        fc.constant(''),
        fc.array(scalarText, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
        fc
          .array(fc.tuple(keyText, scalarText), { maxLength: 3 })
          .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      ),
      comment: fc.constantFrom('', '', ' # c', '#c', '  #c'),
      gap: fc.constantFrom(' ', ' ', '  ', ''),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((lines) =>
    lines
      .map(
        (l) =>
          ' '.repeat(l.indent) +
          (l.item ? '- ' : '') +
          (l.key !== undefined ? `${l.key}:${l.gap}` : '') +
          l.value +
          l.comment,
      )
      .join('\n'),
  );

/** A YAML tree (maps, sequences, scalars written as text) rendered in the block styles people use. */
type Tree = string | { map: Array<[string, Tree]> } | { seq: Tree[] };
const plainKey = fc.constantFrom(
  'key',
  'name',
  'segment',
  'keys',
  'variant',
  'version',
  'description',
  'property',
  'value',
  'attachment',
  'metadata',
  'flags',
  'rollout',
  '1',
  'true',
  'null',
  'a b',
  'a:b',
  "'q'",
  '"q"',
);
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc
      .array(fc.tuple(plainKey, tie('node')), { minLength: 1, maxLength: 4 })
      .map((map) => ({ map })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
  ),
})).node;

function render(node: Tree, indent: number, style: number[]): string[] {
  const pick = (n: number) => (style.push(style.shift() ?? 0), (style[0] ?? 0) % n);
  const pad = ' '.repeat(indent);
  if (typeof node === 'string') return [pad + node];
  if ('map' in node)
    return node.map.flatMap(([k, v]) => {
      if (typeof v === 'string')
        return [`${pad}${k}:${[' ', '  '][pick(2)]}${v}${['', ' # c'][pick(2)]}`];
      const sameIndentSeq = 'seq' in v && pick(2) === 0;
      return [
        `${pad}${k}:`,
        ...render(v, sameIndentSeq ? indent : indent + 2 + 2 * pick(2), style),
      ];
    });
  return node.seq.flatMap((v) => {
    if (typeof v === 'string') return [`${pad}- ${v}`];
    if ('map' in v && pick(2) === 0) {
      const [first, ...rest] = render(v, indent + 2, style);
      return [`${pad}- ${(first ?? '').slice(indent + 2)}`, ...rest];
    }
    return [`${pad}-`, ...render(v, indent + 2, style)];
  });
}

const treeText = fc
  .tuple(
    tree.filter((t) => typeof t !== 'string'),
    fc.array(fc.nat(7), { minLength: 5, maxLength: 20 }),
  )
  .map(([t, style]) => render(t, 0, style).join('\n') + '\n');

/** Edits of a valid text: characters inserted, deleted or replaced at random places. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return base.chain((s) =>
    fc
      .array(
        fc.record({
          at: fc.nat(s.length),
          len: fc.nat(4),
          text: fc.constantFrom(
            ' ',
            '  ',
            '\n',
            '- ',
            ':',
            ': ',
            '#',
            '"',
            "'",
            '{',
            '[',
            ',',
            'x',
            '0',
            '&a',
            '*a',
            '\t',
          ),
        }),
        { minLength: 1, maxLength: 3 },
      )
      .map((edits) => edits.reduce((t, e) => t.slice(0, e.at) + e.text + t.slice(e.at + e.len), s)),
  );
}

const serialized = canonicalDocument.map((d) => serializeDocument(d));
const stringified = canonicalDocument.chain((d) =>
  fc
    .record({
      indentSeq: fc.boolean(),
      flowCollectionPadding: fc.boolean(),
      collectionStyle: fc.constantFrom<'any' | 'block' | 'flow'>('any', 'block', 'flow'),
      indent: fc.constantFrom(2, 4),
    })
    .map((o) => stringify(d, { ...o, lineWidth: 0 })),
);

describe('fast YAML path', () => {
  it('reads plain block YAML itself and gives up on what it does not recognise', () => {
    const text =
      'version: "1.4"\nnamespace: ns\nflags:\n- key: 1\n  name: Flag # note\n  variants:\n    - key: a\n      attachment: {n: 012, on: yes, t: true}\n';
    expect(fastYamlValue(text, 64)).toEqual({
      version: '1.4',
      namespace: 'ns',
      flags: [
        {
          key: '1',
          name: 'Flag',
          variants: [{ key: 'a', attachment: { n: 12, on: 'yes', t: true } }],
        },
      ],
    });
    for (const hard of [
      'a: &x 1\nb: *x\n',
      'a: |\n  text\n',
      'a: b\n  c\n',
      'a: 1\n---\nb: 2\n',
      'a: "\\u0041"\n',
      'a: 1\na: 2\n',
      '__proto__: 1\n',
      'a:\n\tb: 1\n',
      'a: !!str 1\n',
      '',
    ])
      expect(fastYamlValue(hard, 64), hard).toBeUndefined();
    expect(fastYamlValue('a:\n  b:\n    c: 1\n', 2)).toBeUndefined();
  });

  it.each([
    ['serialized canonical documents', serialized],
    ['documents written by yaml.stringify in several styles', stringified],
    ['YAML-looking lines with tricky scalars', yamlish],
    ['edited serialized documents', mutated(serialized)],
    ['edited YAML-looking lines', mutated(yamlish)],
    ['block YAML trees with tricky scalars', treeText],
    ['edited block YAML trees', mutated(treeText)],
  ])(
    'agrees with the full parser on %s',
    (_name, texts) => {
      fc.assert(
        fc.property(texts, (text) => agrees(text)),
        { numRuns: 400, seed: 17 },
      );
    },
    120_000,
  );

  it.each([
    ['the documents the serializer writes', serialized],
    ['block YAML trees', treeText],
  ])(
    'takes the fast path for most of %s (so the comparisons above compare)',
    (_name, texts) => {
      let fast = 0;
      fc.assert(
        fc.property(texts, (text) => {
          if (fastYamlValue(text, 64) !== undefined) fast++;
        }),
        { numRuns: 200, seed: 5 },
      );
      // Escapes, indicators and block scalars fall back; most documents do not.
      expect(fast).toBeGreaterThan(60);
    },
    60_000,
  );

  it('gives the same documents, errors, warnings and positions as the full parser on every fixture', () => {
    const exact = (path: string, content: Uint8Array | string, limits: object) =>
      parseFeatureFile(path, content, limits, { exact: true });
    for (const kind of ['valid', 'invalid'])
      for (const name of readdirSync(join(FIXTURES, kind))) {
        const files = fixture(`${kind}/${name}`);
        for (const [path, content] of files) {
          const a = parseFeatureFile(path, content);
          const b = exact(path, content, {});
          expect(a.errors, path).toEqual(b.errors);
          expect(a.warnings, path).toEqual(b.warnings);
          expect(a.documents.map((d) => d.document)).toEqual(b.documents.map((d) => d.document));
        }
        const fast = loadEnvironment(files);
        const slow = loadEnvironment(files, { parseFile: exact });
        const strip = (r: typeof fast) =>
          r.ok ? { ok: true, environment: r.environment, warnings: r.warnings } : r;
        expect(strip(fast), `${kind}/${name}`).toEqual(strip(slow));
      }
  }, 60_000);

  it('places schema errors of a fast-read document at their line and column', () => {
    const result = loadEnvironment(
      new Map([
        [
          'ns/features.yaml',
          'namespace: ns\nflags:\n  - key: f\n    name: F\n    enabled: maybe\n',
        ],
      ]),
    );
    expect(result.ok).toBe(false);
    const err = !result.ok ? result.errors[0] : undefined;
    expect(err).toMatchObject({ file: 'ns/features.yaml', line: 5, column: 14 });
  });
});
