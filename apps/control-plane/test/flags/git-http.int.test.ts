import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '@switchyard/flags';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { ChangeEvents } from '../../src/events/change-events.js';
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
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A temporary directory for clones, removed after the suite. */
const dirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

const git = (cwd: string, args: string[]) =>
  exec('git', args, { cwd, env: TEST_GIT_ENV }).then((r) => r.stdout.trim());
const url = (token: string, repo = 'prod') =>
  `${base.replace('http://', `http://x:${token}@`)}/git/home/${repo}.git`;

describe('hosted repositories over smart HTTP', () => {
  it('members clone what the API wrote; editors push; viewers, strangers and protected environments are refused', async () => {
    const rev = await f.revision('prod');
    const put = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/over-http`,
      headers: { 'if-match': rev },
      body: variantFlag('over-http'),
    });
    expect(put.status).toBe(200);
    const dir = await tempDir('clone-');
    await git(dir, ['clone', '--quiet', url(f.viewer.token), 'c']);
    const work = join(dir, 'c');
    expect(await git(work, ['rev-parse', 'HEAD'])).toBe(put.json.revision);
    const content = await readFile(join(work, 'default/features.yaml'));
    expect(loadEnvironment(new Map([['default/features.yaml', content]])).ok).toBe(true);

    // A viewer cannot push; an editor can (a fast-forward), and the API sees the new revision.
    await git(work, ['commit', '--allow-empty', '-q', '-m', 'external edit']);
    await expect(git(work, ['push', '-q', url(f.viewer.token), 'HEAD:main'])).rejects.toThrow();
    const events: string[] = [];
    const org = await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } });
    f.t.app.get(ChangeEvents).subscribe(org.id, (e) => {
      if (e.kind === 'environment_changed') events.push(e.revision);
    });
    await git(work, ['push', '-q', url(f.editor.token), 'HEAD:main']);
    const pushed = await git(work, ['rev-parse', 'HEAD']);
    expect(await f.revision('prod')).toBe(pushed);
    await expect.poll(() => events).toContain(pushed);
    // History cannot be rewritten or deleted through the hosted remote.
    await expect(
      git(work, ['push', '-q', '--force', url(f.editor.token), `${pushed}~1:refs/heads/main`]),
    ).rejects.toThrow();
    await expect(
      git(work, ['push', '-q', url(f.editor.token), ':refs/heads/main']),
    ).rejects.toThrow();

    // No token, a wrong token, another org's repository, a protected environment.
    await expect(git(dir, ['clone', '-q', `${base}/git/home/prod.git`, 'anon'])).rejects.toThrow();
    await expect(git(dir, ['clone', '-q', url('sy_pat_wrong'), 'bad'])).rejects.toThrow();
    await expect(
      git(dir, ['clone', '-q', url(f.viewer.token).replace('/home/', '/other/'), 'other']),
    ).rejects.toThrow();
    await git(dir, ['clone', '-q', url(f.editor.token, 'locked'), 'locked']);
    await git(join(dir, 'locked'), ['commit', '--allow-empty', '-q', '-m', 'direct']);
    await expect(
      git(join(dir, 'locked'), ['push', '-q', url(f.owner.token, 'locked'), 'HEAD:main']),
    ).rejects.toThrow();
  });

  it('data-plane client tokens read the environments they are scoped to, and never push', async () => {
    const created = await f.t.call(f.owner, {
      method: 'POST',
      url: '/api/v1/orgs/home/client-tokens',
      body: { name: 'dp', environments: ['prod'] },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const token = created.json.token as string;
    const dir = await tempDir('ct-');
    await git(dir, ['clone', '-q', url(token), 'prod']);
    expect(await git(join(dir, 'prod'), ['rev-parse', 'HEAD'])).toBe(await f.revision('prod'));
    await expect(
      git(dir, ['clone', '-q', url(token, 'locked'), 'locked']),
      'not scoped to this environment',
    ).rejects.toThrow();
    await git(join(dir, 'prod'), ['commit', '--allow-empty', '-q', '-m', 'from a client token']);
    await expect(git(join(dir, 'prod'), ['push', '-q', url(token), 'HEAD:main'])).rejects.toThrow();
  });

  it('answers 401 with a Basic challenge to anonymous git clients', async () => {
    const res = await fetch(`${base}/git/home/prod.git/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
  });
});

describe('hosted branches', () => {
  it('an environment moved to another branch starts that branch with the default layout', async () => {
    const moved = await f.t.call(f.owner, {
      method: 'PATCH',
      url: f.base('prod'),
      body: { branch: 'release' },
    });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    const res = await f.t.call(f.viewer, { method: 'GET', url: `${f.base('prod')}/namespaces` });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.namespaces).toEqual([{ key: 'default', name: 'Default' }]);
    expect(await (await f.store('prod')).head('release')).toBe(res.json.revision);
  });
});
