/**
 * The committed src/gen must be what scripts/generate.ts makes of proto/ today: regenerate into a
 * temporary directory and compare file by file.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATE_COMMAND, GEN_DIR, generate } from '../scripts/generate.js';

function tree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) =>
    d.isFile(),
  );
  return new Map(
    files.map((d) => {
      const path = join(d.parentPath, d.name);
      return [relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8')];
    }),
  );
}

describe('generated contracts', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'contracts-gen-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('src/gen matches a fresh generation from proto/', () => {
    const out = join(tmp, 'gen');
    generate(out);
    const fresh = tree(out);
    const committed = tree(GEN_DIR);
    const stale = [...new Set([...fresh.keys(), ...committed.keys()])]
      .filter((f) => fresh.get(f) !== committed.get(f))
      .map((f) => `${f} (${!committed.has(f) ? 'missing' : !fresh.has(f) ? 'extra' : 'differs'})`)
      .sort();
    expect(fresh.size).toBeGreaterThan(0);
    expect(
      stale,
      `libs/contracts/src/gen is out of date with proto/: run \`${GENERATE_COMMAND}\``,
    ).toEqual([]);
  });
});
