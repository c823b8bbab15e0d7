/**
 * Issue 10 item 7, replayed through the real processes: the control plane serving smart HTTP on a
 * port, the real `git` CLI pushing to the hosted repository, the organisation's real data-plane
 * instance (child process) syncing it, evaluations through the real edge. Before the fix a
 * 61.8 MB file was accepted by the push, refused by the instance (10 MiB limit), and the
 * environment was stuck on its last good revision while the API kept answering with revisions
 * that were never served.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TREE_LIMITS } from '@switchyard/flags';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { EnvironmentStoreService } from '../../src/git-hosting/environment-store.service.js';
import { startCloud, until, type Cloud } from './cloud.js';

const exec = promisify(execFile);
/** Runs git; resolves stdout+stderr and the exit code (pushes are expected to fail here). */
async function git(cwd: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const r = await exec('git', args, { cwd, env: TEST_GIT_ENV, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

let cloud: Cloud;
let work: string;
beforeAll(async () => {
  // The pre-receive hook runs from the control plane's dist (`npm test` builds it first).
  cloud = await startCloud({ listen: true });
  work = await mkdtemp(join(tmpdir(), 'sy-push-'));
}, 180_000);
afterAll(async () => {
  await cloud?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const FLAG = (enabled: boolean) =>
  `version: "1.4"\nnamespace:\n  key: default\n  name: Default\nflags:\n  - key: checkout\n    name: Checkout\n    type: BOOLEAN_FLAG_TYPE\n    enabled: ${enabled}\n`;

describe('issue 10 item 7: hosted pushes are validated before they are accepted', () => {
  it('refuses an oversize or invalid push with file:line errors; the API keeps the last good revision; a later valid push is served by the instance', async () => {
    const org = await cloud.createOrg('pushers');
    await cloud.waitInstance(org.id);
    const t = cloud.t;
    const env = await t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/environments`,
      body: { key: 'prod', name: 'Prod' },
    });
    expect(env.status, JSON.stringify(env.json)).toBe(201);
    const sdk = (
      await t.call(org.owner, {
        method: 'POST',
        url: `/api/v1/orgs/${org.slug}/client-tokens`,
        body: { name: 'sdk', environments: ['prod'] },
      })
    ).json.token as string;
    const evaluate = async () => {
      const res = await fetch(`${env.json.urls.rest as string}/evaluate/v1/boolean`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sdk}`, 'content-type': 'application/json' },
        body: JSON.stringify({ namespaceKey: 'default', flagKey: 'checkout', entityId: 'u1' }),
      });
      return res.ok ? ((await res.json()) as { enabled: boolean }).enabled : undefined;
    };
    const revision = async () =>
      (
        await t.call(org.owner, {
          method: 'GET',
          url: `/api/v1/orgs/${org.slug}/environments/prod/namespaces`,
        })
      ).json.revision as string;

    // A good first state, pushed with the git CLI and served by the instance.
    const initial = await revision();
    const pat = (org.owner as { token: string }).token;
    const remote = `${t.config.publicUrl.replace('http://', `http://x:${pat}@`)}/git/${org.slug}/prod.git`;
    expect((await git(work, ['clone', '-q', remote, 'prod'])).ok).toBe(true);
    const repo = join(work, 'prod');
    await writeFile(join(repo, 'default/features.yaml'), FLAG(true));
    await git(repo, ['commit', '-qam', 'checkout on']);
    const pushed = await git(repo, ['push', 'origin', 'HEAD:main']);
    expect(pushed.ok, pushed.output).toBe(true);
    const good = (await git(repo, ['rev-parse', 'HEAD'])).output.trim();
    await until('the first push is served', async () => (await evaluate()) === true, 20_000);

    // The attack: a 61.8 MB file (compressible, so the pack is small; the limit is on its size).
    await mkdir(join(repo, 'assets'), { recursive: true });
    await writeFile(join(repo, 'assets/big.bin'), Buffer.alloc(61_800_000, 'switchyard '));
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '-qm', 'a 61.8 MB file']);
    const huge = await git(repo, ['push', 'origin', 'HEAD:main']);
    expect(huge.ok).toBe(false);
    expect(huge.output).toContain('remote: Switchyard refused the push');
    expect(huge.output).toContain(
      `remote:   assets/big.bin: file is 61800000 bytes, over the ${DEFAULT_TREE_LIMITS.maxFileBytes}-byte limit`,
    );
    expect(huge.output).toMatch(/\[remote rejected\] HEAD -> main \(pre-receive hook declined\)/u);
    const store = await t.app.get(EnvironmentStoreService).open(org.id, 'prod');
    expect(await store.store.head('main'), 'nothing of the refused push is stored').toBe(good);
    expect(
      await store.store.hasCommit((await git(repo, ['rev-parse', 'HEAD'])).output.trim()),
    ).toBe(false);

    // Invalid YAML: the pusher sees file:line.
    await git(repo, ['reset', '-q', '--hard', good]);
    await writeFile(join(repo, 'default/features.yaml'), `${FLAG(false)}  - key: [broken\n`);
    await git(repo, ['commit', '-qam', 'broken yaml']);
    const broken = await git(repo, ['push', 'origin', 'HEAD:main']);
    expect(broken.ok).toBe(false);
    expect(broken.output).toMatch(/remote: {3}default\/features\.yaml:1\d:\d+: /u);

    // Other refs are not pushable: branches the environment does not serve, proposal records.
    const side = await git(repo, [
      'push',
      'origin',
      `${good}:refs/heads/side`,
      `${good}:refs/switchyard/proposal-meta/x`,
    ]);
    expect(side.ok).toBe(false);
    expect(side.output).toContain('only the environment branch (main) and open proposal branches');

    // The API answers with the last good revision, edits work and are served.
    expect(await revision()).toBe(good);
    const put = await t.call(org.owner, {
      method: 'PUT',
      url: `/api/v1/orgs/${org.slug}/environments/prod/namespaces/default/flags/checkout`,
      headers: { 'if-match': good },
      body: { key: 'checkout', name: 'Checkout', type: 'BOOLEAN_FLAG_TYPE', enabled: false },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    await until('the API edit is served', async () => (await evaluate()) === false, 20_000);

    // A later valid push is accepted and served by the instance.
    await git(repo, ['fetch', '-q', 'origin']);
    await git(repo, ['reset', '-q', '--hard', 'origin/main']);
    await writeFile(join(repo, 'default/features.yaml'), FLAG(true));
    await git(repo, ['commit', '-qam', 'checkout on again']);
    const valid = await git(repo, ['push', 'origin', 'HEAD:main']);
    expect(valid.ok, valid.output).toBe(true);
    const last = (await git(repo, ['rev-parse', 'HEAD'])).output.trim();
    await until('the valid push is served', async () => (await evaluate()) === true, 20_000);
    expect(await revision()).toBe(last);

    // Pushes are audited: actor, ref, old → new.
    const audit = await t.call(org.owner, {
      method: 'GET',
      url: `/api/v1/orgs/${org.slug}/audit-events?action=git.push`,
    });
    expect(audit.status, JSON.stringify(audit.json)).toBe(200);
    const pushes = audit.json.items as {
      actor: { label: string };
      before: unknown;
      after: unknown;
    }[];
    expect(pushes.map((e) => [e.actor.label, e.before, e.after])).toEqual([
      [
        'owner-pushers@example.com',
        { revision: put.json.revision, ref: 'refs/heads/main' },
        { revision: last, ref: 'refs/heads/main', environment: 'prod' },
      ],
      [
        'owner-pushers@example.com',
        { revision: initial, ref: 'refs/heads/main' },
        { revision: good, ref: 'refs/heads/main', environment: 'prod' },
      ],
    ]);
  }, 180_000);

  it('API writes are held to the same limits as pushes', async () => {
    const org = await cloud.createOrg('writers');
    const t = cloud.t;
    expect(
      (
        await t.call(org.owner, {
          method: 'POST',
          url: `/api/v1/orgs/${org.slug}/environments`,
          body: { key: 'dev', name: 'Dev' },
        })
      ).status,
    ).toBe(201);
    const stores = t.app.get(EnvironmentStoreService);
    const opened = await stores.open(org.id, 'dev');
    const big = Buffer.alloc(DEFAULT_TREE_LIMITS.maxFileBytes + 1, 'a');
    const write = stores.write(opened, {
      base: opened.head,
      changes: new Map([['blob.bin', big]]),
      author: { name: 'a', email: 'a@example.com' },
      message: 'too big',
    });
    await expect(write).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('blob.bin: file is 10485761 bytes'),
    });
    expect(await opened.store.head('main')).toBe(opened.head);
    const raw = await readFile(join(opened.store.dir, 'HEAD'), 'utf8');
    expect(raw).toContain('refs/heads/main');
  }, 60_000);
});
