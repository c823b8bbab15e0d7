import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RepositoriesService } from '../src/repositories/repositories.service.js';
import { isWellFormedToken } from '../src/common/secret-token.js';
import { sha256 } from '../src/common/crypto.js';
import { startApp, type Caller, type TestApp } from './harness.js';

let t: TestApp;
let admin: Caller;
let orgId: string;
beforeEach(async () => {
  t = await startApp();
  const org = await t.org('acme', { 'admin@example.com': 'ADMIN', 'editor@example.com': 'EDITOR' });
  admin = org.callers['admin@example.com']!;
  orgId = org.id;
});
afterEach(async () => {
  await t.close();
});

const base = '/api/v1/orgs/acme';

describe('environments', () => {
  it('CRUD with protected flag, repository link and audit', async () => {
    const repo = await t.call(admin, {
      method: 'POST',
      url: `${base}/repositories`,
      body: { name: 'flags', url: 'https://git.example.com/flags.git' },
    });
    const created = await t.call(admin, {
      method: 'POST',
      url: `${base}/environments`,
      body: {
        key: 'prod',
        name: 'Production',
        repositoryId: repo.json.id,
        directory: 'envs/prod',
        protected: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      key: 'prod',
      branch: 'main',
      directory: 'envs/prod',
      protected: true,
      repositoryId: repo.json.id,
    });
    expect(
      (
        await t.call(admin, {
          method: 'POST',
          url: `${base}/environments`,
          body: { key: 'prod', name: 'Again' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await t.call(admin, { method: 'GET', url: `${base}/environments/prod` })).json.name,
    ).toBe('Production');
    const patched = await t.call(admin, {
      method: 'PATCH',
      url: `${base}/environments/prod`,
      body: { protected: false, branch: 'release/1' },
    });
    expect(patched.json).toMatchObject({
      protected: false,
      branch: 'release/1',
      name: 'Production',
    });
    await t.call(admin, {
      method: 'POST',
      url: `${base}/environments`,
      body: { key: 'dev', name: 'Dev' },
    });
    const list = await t.call(admin, { method: 'GET', url: `${base}/environments?limit=1` });
    expect(list.json.items.map((e: { key: string }) => e.key)).toEqual(['prod']);
    expect(list.json.nextCursor).not.toBeNull();
    expect(
      (await t.call(admin, { method: 'DELETE', url: `${base}/environments/prod` })).status,
    ).toBe(204);
    expect((await t.call(admin, { method: 'GET', url: `${base}/environments/prod` })).status).toBe(
      404,
    );
    const audit = await t.call(admin, {
      method: 'GET',
      url: `${base}/audit-events?targetType=environment`,
    });
    expect(audit.json.items.map((e: { action: string }) => e.action)).toEqual([
      'environment.delete',
      'environment.create',
      'environment.update',
      'environment.create',
    ]);
    expect(await t.db.outboxEvent.count({ where: { topic: 'environments.changed' } })).toBe(4);
  });

  it('refuses path traversal, bad branches and repositories of other organisations', async () => {
    const other = await t.org('other', { 'x@example.com': 'ADMIN' });
    const foreign = await t.call(other.callers['x@example.com']!, {
      method: 'POST',
      url: '/api/v1/orgs/other/repositories',
      body: { name: 'r', url: 'https://git.example.com/r.git' },
    });
    const res = await t.call(admin, {
      method: 'POST',
      url: `${base}/environments`,
      body: { key: 'Bad Key', name: '', directory: '../etc', branch: '-x', repositoryId: 'nope' },
    });
    expect(res.status).toBe(400);
    expect(res.json.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.branch',
      'body.directory',
      'body.key',
      'body.name',
      'body.repositoryId',
    ]);
    const cross = await t.call(admin, {
      method: 'POST',
      url: `${base}/environments`,
      body: { key: 'x', name: 'X', repositoryId: foreign.json.id },
    });
    expect(cross.status).toBe(400);
    expect(cross.json.details).toEqual([
      { path: 'body.repositoryId', message: 'no such repository in this organisation' },
    ]);
  });
});

describe('repositories', () => {
  it('stores the credential encrypted, never returns it, and binds it to the org', async () => {
    const res = await t.call(admin, {
      method: 'POST',
      url: `${base}/repositories`,
      body: {
        name: 'flags',
        url: 'https://git.example.com/flags.git',
        credential: { username: 'bot', secret: 'ghp_supersecret' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.json.credential).toEqual({ username: 'bot' });
    expect(
      JSON.stringify(
        (await t.call(admin, { method: 'GET', url: `${base}/repositories/${res.json.id}` })).json,
      ),
    ).not.toContain('ghp_supersecret');
    const service = t.app.get(RepositoriesService);
    expect(await service.readSecret(orgId, res.json.id)).toEqual({
      username: 'bot',
      secret: 'ghp_supersecret',
    });
    // Moving the ciphertext to another tenant's row must not decrypt (AAD = orgId|id).
    const other = await t.org('other', { 'x@example.com': 'ADMIN' });
    const theirs = await t.call(other.callers['x@example.com']!, {
      method: 'POST',
      url: '/api/v1/orgs/other/repositories',
      body: { name: 'r', url: 'https://git.example.com/r.git', credential: { secret: 'theirs' } },
    });
    const mine = await t.db.gitCredential.findFirstOrThrow({ where: { orgId } });
    await t.db.gitCredential.updateMany({
      where: { orgId: other.id },
      data: { ciphertext: mine.ciphertext },
    });
    await expect(service.readSecret(other.id, theirs.json.id)).rejects.toThrow();
    const bad = await t.call(admin, {
      method: 'POST',
      url: `${base}/repositories`,
      body: { name: 'x', url: 'http://user:pw@10.0.0.1/x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.details[0].path).toBe('body.url');
    expect(
      (await t.call(admin, { method: 'DELETE', url: `${base}/repositories/${res.json.id}` }))
        .status,
    ).toBe(204);
    expect(await t.db.gitCredential.count({ where: { orgId } })).toBe(0);
  });
});

describe('client tokens', () => {
  it('shows the secret once, stores only its hash, scopes it and revokes it', async () => {
    await t.call(admin, {
      method: 'POST',
      url: `${base}/environments`,
      body: { key: 'prod', name: 'Prod' },
    });
    await t.call(admin, {
      method: 'POST',
      url: `${base}/environments`,
      body: { key: 'dev', name: 'Dev' },
    });
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await t.call(admin, {
      method: 'POST',
      url: `${base}/client-tokens`,
      body: { name: 'web', environments: ['prod', 'dev'], namespaces: ['default'], expiresAt },
    });
    expect(created.status).toBe(201);
    const token: string = created.json.token;
    expect(token).toMatch(/^sy_live_[0-9A-Za-z]{30}_[0-9A-Za-z]{6}$/);
    expect(isWellFormedToken('live', token)).toBe(true);
    expect(created.json).toMatchObject({
      environments: ['dev', 'prod'],
      namespaces: ['default'],
      expiresAt: new Date(expiresAt).toISOString(),
      revokedAt: null,
      lastUsedAt: null,
    });
    const row = await t.db.clientToken.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(token.startsWith(row.prefix)).toBe(true);
    expect(row.prefix.length).toBeLessThan(token.length / 2);

    const got = await t.call(admin, {
      method: 'GET',
      url: `${base}/client-tokens/${created.json.id}`,
    });
    expect(got.json.token).toBeUndefined();
    const editor = (await t.user('editor@example.com')).pat;
    expect(
      (await t.call(editor, { method: 'GET', url: `${base}/client-tokens` })).json.items,
    ).toHaveLength(1);

    const revoked = await t.call(admin, {
      method: 'POST',
      url: `${base}/client-tokens/${created.json.id}/revoke`,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.json.revokedAt).not.toBeNull();
    const again = await t.call(admin, {
      method: 'POST',
      url: `${base}/client-tokens/${created.json.id}/revoke`,
    });
    expect(again.json.revokedAt).toBe(revoked.json.revokedAt);
    expect(
      (await t.db.auditEvent.findMany({ where: { targetId: created.json.id } }))
        .map((e) => e.action)
        .sort(),
    ).toEqual(['client_token.create', 'client_token.revoke']);
  });

  it('names the unknown environments by index and refuses past expiry', async () => {
    await t.call(admin, {
      method: 'POST',
      url: `${base}/environments`,
      body: { key: 'prod', name: 'Prod' },
    });
    const res = await t.call(admin, {
      method: 'POST',
      url: `${base}/client-tokens`,
      body: { name: 'x', environments: ['prod', 'nope'] },
    });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([
      { path: 'body.environments[1]', message: 'no environment "nope"' },
    ]);
    const past = await t.call(admin, {
      method: 'POST',
      url: `${base}/client-tokens`,
      body: { name: 'x', environments: ['prod'], expiresAt: '2000-01-01T00:00:00Z' },
    });
    expect(past.json.details).toEqual([
      { path: 'body.expiresAt', message: 'must be in the future' },
    ]);
    expect(await t.db.clientToken.count()).toBe(0);
  });
});

describe('audit log', () => {
  it('filters by action, actor and target and paginates newest first', async () => {
    for (const key of ['e1', 'e2', 'e3'])
      await t.call(admin, {
        method: 'POST',
        url: `${base}/environments`,
        body: { key, name: key },
      });
    await t.call(admin, { method: 'PATCH', url: `${base}/environments/e2`, body: { name: 'E2' } });
    const byAction = await t.call(admin, {
      method: 'GET',
      url: `${base}/audit-events?action=environment.create&limit=2`,
    });
    expect(byAction.json.items.map((e: { after: { key: string } }) => e.after.key)).toEqual([
      'e3',
      'e2',
    ]);
    const next = await t.call(admin, {
      method: 'GET',
      url: `${base}/audit-events?action=environment.create&limit=2&cursor=${byAction.json.nextCursor}`,
    });
    expect(next.json).toMatchObject({ items: [{ after: { key: 'e1' } }], nextCursor: null });
    const e2 = await t.db.environment.findFirstOrThrow({ where: { key: 'e2' } });
    const byTarget = await t.call(admin, {
      method: 'GET',
      url: `${base}/audit-events?targetId=${e2.id}`,
    });
    expect(byTarget.json.items.map((e: { action: string }) => e.action)).toEqual([
      'environment.update',
      'environment.create',
    ]);
    expect(byTarget.json.items[0]).toMatchObject({
      actor: {
        type: 'user:pat',
        id: admin.kind === 'pat' ? admin.userId : '',
        label: 'admin@example.com',
      },
      before: { name: 'e2' },
      after: { name: 'E2' },
    });
    const byActor = await t.call(admin, {
      method: 'GET',
      url: `${base}/audit-events?actor=nobody`,
    });
    expect(byActor.json.items).toEqual([]);

    // By environment: its own events and the commits made in it (flag edits name it in `after`).
    const flags = `${base}/environments/e2/namespaces/default/flags`;
    const list = await t.call(admin, { method: 'GET', url: flags });
    const put = await t.call(admin, {
      method: 'PUT',
      url: `${flags}/checkout`,
      headers: { 'if-match': list.json.revision },
      body: { key: 'checkout', name: 'Checkout', type: 'BOOLEAN_FLAG_TYPE', enabled: true },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const byEnv = await t.call(admin, {
      method: 'GET',
      url: `${base}/audit-events?environment=e2`,
    });
    expect(byEnv.json.items.map((e: { action: string }) => e.action)).toEqual([
      'flag.put',
      'environment.update',
      'environment.create',
    ]);
    expect(byEnv.json.items[0].after).toMatchObject({
      environment: 'e2',
      revision: put.json.revision,
    });
    // By time: `since` is inclusive, `until` exclusive; a bad timestamp is a 400 naming the field.
    const now = new Date(Date.now() + 1000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect(
      (await t.call(admin, { method: 'GET', url: `${base}/audit-events?since=${now}` })).json.items,
    ).toEqual([]);
    expect(
      (await t.call(admin, { method: 'GET', url: `${base}/audit-events?until=${past}` })).json
        .items,
    ).toEqual([]);
    const window = await t.call(admin, {
      method: 'GET',
      url: `${base}/audit-events?environment=e2&since=${past}&until=${now}`,
    });
    expect(window.json.items).toHaveLength(3);
    const bad = await t.call(admin, { method: 'GET', url: `${base}/audit-events?since=yesterday` });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('since');
  });
});

describe('plain http remotes', () => {
  it('are refused by the remote policy unless the operator set GIT_ALLOW_HTTP (then the address policy still applies)', async () => {
    const url = 'http://127.0.0.1:9/flags.git';
    const refused = await t.call(admin, {
      method: 'POST',
      url: `${base}/repositories`,
      body: { name: 'plain', url },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toMatch(/scheme must be https or ssh/);
    const lax = await startApp({
      GIT_ALLOW_HTTP: 'true',
      OUTBOUND_ALLOWED_ORIGINS: 'http://127.0.0.1:9',
    });
    try {
      const org = await lax.org('lax', { 'admin@example.com': 'ADMIN' });
      const owner = org.callers['admin@example.com']!;
      const created = await lax.call(owner, {
        method: 'POST',
        url: '/api/v1/orgs/lax/repositories',
        body: { name: 'plain', url },
      });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      // Loopback without an allow-listed origin stays refused, http or not.
      const other = await lax.call(owner, {
        method: 'POST',
        url: '/api/v1/orgs/lax/repositories',
        body: { name: 'other', url: 'http://127.0.0.1:10/flags.git' },
      });
      expect(other.status).toBe(400);
    } finally {
      await lax.close();
    }
  });
});
