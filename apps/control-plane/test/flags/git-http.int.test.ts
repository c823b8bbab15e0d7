import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '@switchyard/flags';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

const exec = promisify(execFile);
let f: FlagsFixture;
let base: string;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'prod' }, { key: 'locked', protected: true }]);
  await f.t.app.listen(0, '127.0.0.1');
  base = (await f.t.app.getUrl()).replace('[::1]', '127.0.0.1');
});
afterAll(async () => {
  await f.t.close();
});

const git = (cwd: string, args: string[]) => exec('git', args, { cwd, env: TEST_GIT_ENV }).then((r) => r.stdout.trim());
const url = (token: string, repo = 'prod') => `${base.replace('http://', `http://x:${token}@`)}/git/home/${repo}.git`;

describe('hosted repositories over smart HTTP', () => {
  it('members clone what the API wrote; editors push; viewers, strangers and protected environments are refused', async () => {
    const rev = await f.revision('prod');
    const put = await f.t.call(f.editor, { method: 'PUT', url: `${f.base('prod')}/namespaces/default/flags/over-http`, headers: { 'if-match': rev }, body: variantFlag('over-http') });
    expect(put.status).toBe(200);
    const dir = await mkdtemp(join(tmpdir(), 'clone-'));
    await git(dir, ['clone', '--quiet', url(f.viewer.token), 'c']);
    const work = join(dir, 'c');
    expect(await git(work, ['rev-parse', 'HEAD'])).toBe(put.json.revision);
    const content = await readFile(join(work, 'default/features.yaml'));
    expect(loadEnvironment(new Map([['default/features.yaml', content]])).ok).toBe(true);

    // A viewer cannot push; an editor can (a fast-forward), and the API sees the new revision.
    await git(work, ['commit', '--allow-empty', '-q', '-m', 'external edit']);
    await expect(git(work, ['push', '-q', url(f.viewer.token), 'HEAD:main'])).rejects.toThrow();
    await git(work, ['push', '-q', url(f.editor.token), 'HEAD:main']);
    expect(await f.revision('prod')).toBe(await git(work, ['rev-parse', 'HEAD']));

    // No token, a wrong token, another org's repository, a protected environment.
    await expect(git(dir, ['clone', '-q', `${base}/git/home/prod.git`, 'anon'])).rejects.toThrow();
    await expect(git(dir, ['clone', '-q', url('sy_pat_wrong'), 'bad'])).rejects.toThrow();
    await expect(git(dir, ['clone', '-q', url(f.viewer.token).replace('/home/', '/other/'), 'other'])).rejects.toThrow();
    await git(dir, ['clone', '-q', url(f.editor.token, 'locked'), 'locked']);
    await git(join(dir, 'locked'), ['commit', '--allow-empty', '-q', '-m', 'direct']);
    await expect(git(join(dir, 'locked'), ['push', '-q', url(f.owner.token, 'locked'), 'HEAD:main'])).rejects.toThrow();
  });

  it('answers 401 with a Basic challenge to anonymous git clients', async () => {
    const res = await fetch(`${base}/git/home/prod.git/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
  });
});
