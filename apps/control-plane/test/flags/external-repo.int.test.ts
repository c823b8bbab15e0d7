import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGitRepo,
  runGit,
  startGitServer,
  type GitRepo,
  type GitServer,
} from '@switchyard/testing';
import { ChangeEvents, type EnvironmentChange } from '../../src/events/change-events.js';
import { RepositoriesService } from '../../src/repositories/repositories.service.js';
import { commitCount, flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';
import { GitStore } from '@switchyard/git-store';

/**
 * An "external" Flipt repository (v1 layout: `.flipt.yml` index and a `features.yml`) served over
 * smart HTTP with basic auth, connected with an encrypted token; writes push to it; push webhooks
 * (GitHub HMAC, GitLab token) announce external pushes.
 */
let f: FlagsFixture;
let root: string;
let server: GitServer;
let repo: GitRepo;
let repositoryId: string;
const events: EnvironmentChange[] = [];

const FLIPT_INDEX = 'version: "1.0"\ninclude:\n  - "features.yml"\n';
const FEATURES =
  'namespace: default\nflags:\n  - key: legacy\n    name: Legacy\n    enabled: true\n    variants:\n      - key: a\n';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ext-'));
  server = await startGitServer({
    projectRoot: root,
    auth: { username: 'bot', password: 'ext-token' },
  });
  // The loopback git server is reachable only because its exact origin is allow-listed.
  f = await flagsFixture([], {
    OUTBOUND_ALLOWED_ORIGINS: new URL(server.url).origin,
    GIT_ALLOW_HTTP: 'true',
  });
  repo = await createGitRepo({ projectRoot: root, name: 'flags' });
  await repo.commitFiles(
    { '.flipt.yml': FLIPT_INDEX, 'features.yml': FEATURES, 'README.md': 'not a flag file\n' },
    'existing Flipt repository',
  );
  const org = await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } });
  f.t.app.get(ChangeEvents).subscribe(org.id, (e) => {
    if (e.kind === 'environment_changed') events.push(e);
  });
  const owner = await f.t.db.user.findUniqueOrThrow({ where: { email: 'owner@example.com' } });
  const ctx = {
    principal: { userId: owner.id, email: owner.email, via: 'system' as const },
    org: { id: org.id, slug: 'home', role: 'OWNER' as const },
    requestId: 'test',
  };
  // The API only accepts https:// remotes; the operator switch lets this loopback http server in.
  repositoryId = (
    await f.t.app.get(RepositoriesService).create(ctx, {
      name: 'ext',
      url: `${server.url}/flags.git`,
      credential: { username: 'bot', secret: 'ext-token' },
    })
  ).id;
  const env = await f.t.call(f.owner, {
    method: 'POST',
    url: '/api/v1/orgs/home/environments',
    body: { key: 'ext', name: 'External', repositoryId },
  });
  expect(env.status, JSON.stringify(env.json)).toBe(201);
});
afterAll(async () => {
  await server.close();
  await f.t.close();
  await repo.cleanup();
  await rm(root, { recursive: true, force: true });
});

describe('external repositories', () => {
  it('an existing Flipt v1 repository loads, and edits are pushed as one commit in the file the flag lives in', async () => {
    const list = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('ext')}/namespaces/default/flags`,
    });
    expect(list.status, JSON.stringify(list.json)).toBe(200);
    expect(list.json.flags.map((x: { key: string }) => x.key)).toEqual(['legacy']);
    const remote = new GitStore(repo.bareDir);
    const before = await commitCount(remote);
    const put = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('ext')}/namespaces/default/flags/legacy`,
      headers: { 'if-match': list.json.revision },
      body: variantFlag('legacy', { name: 'Legacy', description: 'edited' }),
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect(await commitCount(remote)).toBe(before + 1);
    expect(await remote.head('main')).toBe(put.json.revision);
    const changed = (
      await remote.git(['diff-tree', '--no-commit-id', '--name-only', '-r', put.json.revision])
    )
      .toString()
      .trim();
    expect(changed).toBe('features.yml');
    expect(
      (await remote.git(['log', '-1', '--format=%ae', put.json.revision])).toString().trim(),
    ).toBe('editor@example.com');
    expect(events.some((e) => e.revision === put.json.revision)).toBe(true);
  });

  it('a push by someone else wins: our stale write is a 409 and the remote is not overwritten', async () => {
    const rev = (await f.t.call(f.viewer, { method: 'GET', url: `${f.base('ext')}/namespaces` }))
      .json.revision as string;
    await runGit(repo.workDir, ['pull', '-q', '--', repo.bareDir, 'main']);
    const theirs = await repo.commitFiles({ 'README.md': 'edited elsewhere\n' }, 'external edit');
    const res = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('ext')}/namespaces/default/flags/newer`,
      headers: { 'if-match': rev },
      body: variantFlag('newer'),
    });
    expect(res.status).toBe(409);
    expect(res.json.currentRevision).toBe(theirs);
    expect(await new GitStore(repo.bareDir).head('main')).toBe(theirs);
  });

  it('push webhooks: GitHub HMAC and GitLab token verified; bad signatures and unknown repositories are 401', async () => {
    const config = await f.t.call(f.owner, {
      method: 'GET',
      url: `/api/v1/orgs/home/repositories/${repositoryId}/webhook`,
    });
    expect(config.status).toBe(200);
    const secret = config.json.github.secret as string;
    const head = await repo.commitFiles({ 'README.md': 'pushed again\n' }, 'another external push');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: head });
    const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const send = (path: string, headers: Record<string, string>) =>
      f.t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json', ...headers },
        payload: body,
      });
    const ok = await send(config.json.github.path, {
      'x-hub-signature-256': sig,
      'x-github-event': 'push',
    });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(JSON.parse(ok.body).environments).toEqual([{ key: 'ext', revision: head }]);
    expect(events.at(-1)?.revision).toBe(head);
    expect(
      // One hex digit changed (a fixed '0' would leave a signature ending in '0' valid: 1 run in 16).
      (
        await send(config.json.github.path, {
          'x-hub-signature-256': `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`,
        })
      ).statusCode,
    ).toBe(401);
    expect((await send(config.json.github.path, {})).statusCode).toBe(401);
    expect(
      (await send(config.json.gitlab.path, { 'x-gitlab-token': config.json.gitlab.token }))
        .statusCode,
    ).toBe(202);
    expect((await send(config.json.gitlab.path, { 'x-gitlab-token': 'guess' })).statusCode).toBe(
      401,
    );
    expect(
      (
        await send('/api/v1/webhooks/github/00000000-0000-4000-8000-000000000000', {
          'x-hub-signature-256': sig,
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('repository URLs at save time (B10, B11, T4)', () => {
  it('refuses injection and internal-address URLs through the API, with nothing stored', async () => {
    const strict = await flagsFixture([]);
    try {
      const before = await strict.t.db.gitRepository.count();
      const urls = [
        'https://127.0.0.1/r.git',
        'https://169.254.169.254/latest',
        'https://[::1]/r.git',
        'https://2130706433/r.git',
        'https://metadata.google.internal/r',
        'https://10.1.2.3/r.git',
        'ssh://git@127.0.0.1/r.git',
        'ssh://-oProxyCommand=touch%20x/r',
        'ext::sh -c touch% /tmp/x',
        'file:///etc/passwd',
        '--upload-pack=touch /tmp/x',
      ];
      for (const url of urls) {
        const res = await strict.t.call(strict.owner, {
          method: 'POST',
          url: '/api/v1/orgs/home/repositories',
          body: { name: `r${urls.indexOf(url)}`, url },
        });
        expect(res.status, url).toBe(400);
      }
      expect(await strict.t.db.gitRepository.count()).toBe(before);
    } finally {
      await strict.t.close();
    }
  });
});
