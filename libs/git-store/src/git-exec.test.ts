import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitExecError, runGit } from './git-exec.js';

const dir = mkdtempSync(join(tmpdir(), 'git-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runGit', () => {
  it('runs git and returns stdout', async () => {
    expect((await runGit(['--version'], { cwd: dir })).toString()).toMatch(/^git version/);
  });

  it('reports git failures as not aborted, with a sanitised message', async () => {
    const e = await runGit(['rev-parse', '--verify', 'nope'], { cwd: dir }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(GitExecError);
    expect((e as GitExecError).aborted).toBe(false);
    expect((e as GitExecError).message).toMatch(/^git rev-parse failed: fatal:/);
  });

  it('kills git when the caller aborts, and says so', async () => {
    const e = await runGit(['--version'], { cwd: dir, signal: AbortSignal.abort() }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(GitExecError);
    expect((e as GitExecError).aborted).toBe(true);
    expect((e as GitExecError).message).toBe('git --version failed: timed out or aborted');
  });
});
