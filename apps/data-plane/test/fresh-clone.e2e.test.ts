/**
 * A newcomer's first commands on a fresh clone: `npm ci` accepts the committed lockfile, the build
 * works, `npx switchyard --version` finds the command, and none of it leaves `git status` dirty.
 * The clone is of the committed HEAD (CI tests a clean checkout, so that is the tree under test).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'switchyard-fresh-clone-'));
const clone = join(tmp, 'switchyard');
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 120_000);
/** The `switchyard` command's workspace and every workspace it depends on, transitively. */
function workspaceClosure(start: string): string[] {
  const byName = new Map<string, Record<string, Record<string, string> | undefined>>();
  for (const dir of ['apps', 'libs'])
    for (const entry of readdirSync(join(ROOT, dir))) {
      const file = join(ROOT, dir, entry, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string };
      byName.set(pkg.name, pkg as never);
    }
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name) || !byName.has(name)) return;
    seen.add(name);
    const pkg = byName.get(name)!;
    for (const deps of [pkg['dependencies'], pkg['devDependencies']])
      for (const dep of Object.keys(deps ?? {})) visit(dep);
  };
  visit(start);
  return [...seen].sort();
}
const WORKSPACES = workspaceClosure('@switchyard/data-plane');

const run = (cmd: string, args: string[]): string =>
  execFileSync(cmd, args, {
    cwd: clone,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // Only what a newcomer's shell would have: no npm_* variables inherited from `npm test`.
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? tmp,
      NEXT_TELEMETRY_DISABLED: '1',
      TURBO_TELEMETRY_DISABLED: '1',
    },
  });

describe('a fresh clone', () => {
  it('installs with npm ci, builds, runs `npx switchyard --version`, and stays clean', () => {
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);
    // `npm ci` of the data plane's workspaces (the whole tree's `npm ci` is what `.ci/run` itself
    // runs): it still checks the committed lockfile and links the bins, at a fifth of the size.
    // --prefer-offline: the packages are in this machine's npm cache after the suite's own install.
    run('npm', [
      'ci',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--include-workspace-root',
      ...WORKSPACES.flatMap((w) => ['-w', w]),
    ]);
    // Installed before anything is built, the command exists and says what to do.
    expect(() => run('npx', ['--no-install', 'switchyard', '--version'])).toThrow(
      /not built yet\. Run `npm run build`/,
    );
    // The data plane and what it depends on (the rest of `npm run build` is the same turbo graph).
    run('npx', [
      '--no-install',
      'turbo',
      'run',
      'build',
      '--filter=@switchyard/data-plane...',
      '--output-logs=errors-only',
    ]);
    expect(run('npx', ['--no-install', 'switchyard', '--version']).trim()).toMatch(
      /^switchyard \d+\.\d+\.\d+$/,
    );
    expect(run('git', ['status', '--porcelain'])).toBe('');
  }, 900_000);
});
