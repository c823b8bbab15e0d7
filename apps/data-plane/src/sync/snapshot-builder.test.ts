import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateBoolean, parseFeatureFile, type FeatureFileParser } from '@switchyard/flags';
import { afterAll, describe, expect, it } from 'vitest';
import { gitBlobId } from './namespace-digest.js';
import { ParsedFileCache, buildSnapshot } from './snapshot-builder.js';

const enc = (s: string) => new TextEncoder().encode(s);
const flagFile = (ns: string, enabled: boolean) =>
  enc(
    `namespace: ${ns}\nflags:\n  - key: dark-mode\n    name: Dark mode\n    type: BOOLEAN_FLAG_TYPE\n    enabled: ${enabled}\n`,
  );

/** A cache whose parser counts the files it really parses. */
function countingCache() {
  const parsed: string[] = [];
  const parse: FeatureFileParser = (path, content, limits) => {
    parsed.push(path);
    return parseFeatureFile(path, content, limits);
  };
  return { cache: new ParsedFileCache(parse), parsed };
}

const enabled = (result: ReturnType<typeof buildSnapshot>, ns: string) => {
  if (!result.ok) throw new Error(result.failure.message);
  return evaluateBoolean(result.snapshot, {
    namespaceKey: ns,
    flagKey: 'dark-mode',
    entityId: 'u',
    context: {},
  }).enabled;
};

describe('ParsedFileCache', () => {
  it('parses only the files a new commit changed, and builds the same snapshot as without it', () => {
    const { cache, parsed } = countingCache();
    const first = new Map([
      ['a/features.yaml', flagFile('a', true)],
      ['b/features.yaml', flagFile('b', false)],
    ]);
    expect(enabled(buildSnapshot(first, 'r1', cache), 'b')).toBe(false);
    expect(parsed.sort()).toEqual(['a/features.yaml', 'b/features.yaml']);

    parsed.length = 0;
    // New commit: same bytes for a (a fresh copy, as a new tree read gives), b changed.
    const second = new Map([
      ['a/features.yaml', flagFile('a', true)],
      ['b/features.yaml', flagFile('b', true)],
    ]);
    const cached = buildSnapshot(second, 'r2', cache);
    expect(parsed).toEqual(['b/features.yaml']);
    const fresh = buildSnapshot(second, 'r2');
    for (const ns of ['a', 'b']) expect(enabled(cached, ns)).toBe(enabled(fresh, ns));
    expect(cached.ok && cached.snapshot.revision).toBe('r2');

    parsed.length = 0;
    buildSnapshot(second, 'r3', cache);
    expect(parsed).toEqual([]);
  });

  it('parses a file again under another path, and forgets files the latest build did not use', () => {
    const { cache, parsed } = countingCache();
    buildSnapshot(new Map([['a/features.yaml', flagFile('a', true)]]), 'r1', cache);
    buildSnapshot(new Map([['c/features.yaml', flagFile('a', true)]]), 'r2', cache);
    expect(parsed).toEqual(['a/features.yaml', 'c/features.yaml']);
    expect(cache.size).toBe(1);
    buildSnapshot(new Map([['a/features.yaml', flagFile('a', true)]]), 'r3', cache);
    expect(parsed).toEqual(['a/features.yaml', 'c/features.yaml', 'a/features.yaml']);
  });

  it('reports the same error, file, line and column from a cached file', () => {
    const { cache, parsed } = countingCache();
    const bad = new Map([
      ['a/features.yaml', flagFile('a', true)],
      ['b/features.yaml', enc('namespace: b\nflags:\n  - key: f\n    enabled: maybe\n')],
    ]);
    const once = buildSnapshot(bad, 'r1', cache);
    const twice = buildSnapshot(bad, 'r2', cache);
    expect(parsed).toHaveLength(2);
    expect(once.ok).toBe(false);
    const strip = (r: typeof once) =>
      r.ok
        ? r
        : { ...r.failure, revision: '', message: r.failure.message.replace(/^commit \S+: /u, '') };
    expect(strip(twice)).toEqual(strip(once));
    expect(twice.ok ? undefined : twice.failure).toMatchObject({
      file: 'b/features.yaml',
      line: 3,
      column: 5,
    });
  });
});

describe('gitBlobId', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blob-id-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([[''], ['namespace: a\n'], ['ü😀\u0000bytes']])('is what git computes for %j', (text) => {
    const file = join(dir, 'f');
    writeFileSync(file, text);
    const want = execFileSync('git', ['hash-object', file], { encoding: 'utf8' }).trim();
    expect(gitBlobId(enc(text))).toBe(want);
  });
});
