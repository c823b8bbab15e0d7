import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TREE_LIMITS } from '@switchyard/flags';
import { parseTreeListing, TreeRejectedError } from './read-mirror.js';

const oid = 'a'.repeat(40);
const record = (mode: string, type: string, size: string, path: string) =>
  `${mode} ${type} ${oid} ${size.padStart(7)}\t${path}\0`;

describe('parseTreeListing', () => {
  it('keeps regular files only: no symlinks, submodules, traversal, .git, backslashes or leading "-"', () => {
    const listing = Buffer.from(
      [
        record('100644', 'blob', '10', 'default/features.yaml'),
        record('100755', 'blob', '5', 'tools/run.sh'),
        record('120000', 'blob', '11', 'linked/features.yaml'),
        record('160000', 'commit', '-', 'vendor/sub'),
        record('100644', 'blob', '3', '../escape/features.yaml'),
        record('100644', 'blob', '3', '.git/hooks/post-checkout'),
        record('100644', 'blob', '3', 'a/.GIT/config'),
        record('100644', 'blob', '3', 'win\\features.yaml'),
        record('100644', 'blob', '3', '/abs/features.yaml'),
        record('100644', 'blob', '3', '-n/features.yaml'),
        record('100644', 'blob', '3', '--upload-pack=x'),
      ].join(''),
    );
    expect(parseTreeListing(listing, DEFAULT_TREE_LIMITS).map((e) => e.path)).toEqual([
      'default/features.yaml',
      'tools/run.sh',
    ]);
  });

  it('rejects oversized files and too many files from the listing, before reading content', () => {
    const limits = { maxFileBytes: 100, maxTotalBytes: 250, maxFiles: 3 };
    expect(() =>
      parseTreeListing(Buffer.from(record('100644', 'blob', '101', 'big.yaml')), limits),
    ).toThrow(TreeRejectedError);
    const many = Buffer.from(
      [1, 2, 3, 4].map((i) => record('100644', 'blob', '1', `f${i}`)).join(''),
    );
    expect(() => parseTreeListing(many, limits)).toThrow(/more than 3 files/);
    const heavy = Buffer.from(
      [1, 2, 3].map((i) => record('100644', 'blob', '90', `f${i}`)).join(''),
    );
    expect(() => parseTreeListing(heavy, limits)).toThrow(/exceed 250 bytes/);
  });

  it('never returns a path that could leave the root (property)', () => {
    const segment = fc.constantFrom(
      'a',
      'b.yaml',
      '..',
      '.',
      '.git',
      '.Git',
      'x\\y',
      '',
      ' ',
      'features.yaml',
      '-n',
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(segment, { minLength: 1, maxLength: 4 }), { maxLength: 20 }),
        (paths) => {
          const listing = Buffer.from(
            paths.map((p) => record('100644', 'blob', '1', p.join('/'))).join(''),
          );
          for (const { path } of parseTreeListing(listing, DEFAULT_TREE_LIMITS)) {
            const parts = path.split('/');
            expect(path.startsWith('/') || path.startsWith('-') || path.includes('\\')).toBe(false);
            expect(
              parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git'),
            ).toBe(false);
          }
        },
      ),
      { numRuns: 1000, seed: 3 },
    );
  });
});
