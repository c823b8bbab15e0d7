import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '../errors.js';
import { compareWalkOrder, discoverFeatureFiles } from './discover.js';
import { compileGlob, globMatch } from './glob.js';

describe('compileGlob (gobwas, no separators)', () => {
  it.each([
    ['**features.yml', 'features.yml', true],
    ['**features.yml', 'a/b/prodfeatures.yml', true],
    ['**.features.yml', 'a/features.yml', false],
    ['*/features.yaml', 'a/b/features.yaml', true],
    ['*.yaml', 'a/b.yaml', true],
    ['?.json', 'a.json', true],
    ['?.json', 'ab.json', false],
    ['[ab]/x', 'b/x', true],
    ['[!ab]/x', 'b/x', false],
    ['[a-c]/x', 'c/x', true],
    ['{prod,stag*}/features.{yml,yaml}', 'staging/features.yaml', true],
    ['{prod,stag*}/features.{yml,yaml}', 'dev/features.yaml', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a.b', 'axb', false],
    ['(x)|y+', '(x)|y+', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globMatch(pattern, path)).toBe(expected);
  });

  it('rejects unterminated classes and braces', () => {
    expect(() => compileGlob('[ab')).toThrow('unterminated "["');
    expect(() => compileGlob('{a,b')).toThrow('unterminated "{"');
  });
});

describe('discoverFeatureFiles', () => {
  const tree = [
    'features.yml',
    'features.json',
    'prodfeatures.yml',
    'README.md',
    'a.b/features.yaml',
    'a/features.yaml',
    'a/nested/features.json',
    'a/other.yaml',
    'b/x.features.yml',
    'b/features.toml',
    '.flipt.yml',
  ];

  it('without an index reads the v1 default globs and the v2 layout, in WalkDir order', () => {
    expect(discoverFeatureFiles(tree)).toEqual([
      'a/features.yaml',
      'a/nested/features.json',
      'a.b/features.yaml',
      'b/x.features.yml',
      'features.yml',
      'prodfeatures.yml',
    ]);
  });

  it('with an index only the index decides (include, then exclude)', () => {
    const index =
      'version: "1.0"\ninclude: ["**/*.features.yml", "**.json"]\nexclude: ["a/nested/**"]\n';
    expect(discoverFeatureFiles(tree, index)).toEqual(['b/x.features.yml', 'features.json']);
  });

  it('an index without include uses the v1 defaults (JSON is not picked up)', () => {
    expect(discoverFeatureFiles(tree, 'exclude: ["prod*"]\n')).toEqual([
      'a/features.yaml',
      'a.b/features.yaml',
      'b/x.features.yml',
      'features.yml',
    ]);
  });

  it('rejects a malformed index with InvalidArgument', () => {
    let error: unknown;
    try {
      discoverFeatureFiles(tree, 'include: "**"\nextra: 1\n');
    } catch (e) {
      error = e;
    }
    expect(isSwitchyardError(error, 'InvalidArgument')).toBe(true);
    expect((error as Error).message).toBe(
      '.flipt.yml: include: must be a list of glob strings; extra: unknown field (an index has version, include and exclude)',
    );
  });

  it('orders like fs.WalkDir: segment by segment', () => {
    expect(['a.b/c', 'a/b', 'a-b', 'a/a/z'].sort(compareWalkOrder)).toEqual([
      'a/a/z',
      'a/b',
      'a-b',
      'a.b/c',
    ]);
  });
});
