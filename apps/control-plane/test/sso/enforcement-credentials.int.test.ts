/**
 * Issue 10 item 3, replayed through the real processes: the control plane listening on HTTP, two
 * real dev IdPs (the platform login and organisation B's own IdP), git over smart HTTP.
 *
 * The attack: B enforces SSO; bob, a member of B, signs in through the platform login (refused on
 * B), mints a personal access token from that session, and reads B with it (API and git clone).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DevIdp } from '@switchyard/dev-idp';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAT_NOT_SSO, SESSION_NOT_SSO } from '../../src/sso/sso-enforcement.service.js';
import {
  Browser,
  CLIENT_ID,
  CLIENT_SECRET,
  CONSOLE_ORIGIN,
  PUBLIC_URL,
  startIdps,
  startSsoApp,
  type SsoTestApp,
} from './sso-harness.js';

const exec = promisify(execFile);
let idps: Record<string, DevIdp>;
let t: SsoTestApp;
let dataDir: string;
let base: string;

beforeAll(async () => {
  idps = await startIdps(['generic', 'okta']);
  dataDir = await mkdtemp(join(tmpdir(), 'cp-enforce-'));
  t = await startSsoApp({
    PLATFORM_OIDC_ISSUER: idps['generic']!.issuer,
    PLATFORM_OIDC_CLIENT_ID: CLIENT_ID,
    PLATFORM_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    GIT_DATA_DIR: dataDir,
  });
  await t.app.listen(0, '127.0.0.1');
  base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
}, 60_000);
afterAll(async () => {
  await t?.close();
  for (const idp of Object.values(idps ?? {})) await idp.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field

/** One real HTTP request to the control plane. */
async function http(
  method: string,
  path: string,
  auth: { pat?: string; session?: { cookie: string; csrf: string } },
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = {};
  if (auth.pat) headers['authorization'] = `Bearer ${auth.pat}`;
  if (auth.session)
    Object.assign(headers, {
      cookie: `__Host-switchyard_session=${auth.session.cookie}`,
      'x-csrf-token': auth.session.csrf,
      origin: CONSOLE_ORIGIN,
    });
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

/** Signs `user` in through `connection` in a fresh browser (every hop over real HTTP); returns the session and its CSRF token. */
async function signIn(connection: string, user: string): Promise<{ cookie: string; csrf: string }> {
  const browser = new Browser(t.app, '127.0.0.1', base);
  const done = await browser.login(connection, user);
  expect(done.status).toBe(302);
  const cookie = browser.cookies(PUBLIC_URL).get('__Host-switchyard_session')!;
  const session = await http('GET', '/api/v1/session', { session: { cookie, csrf: '' } });
  expect(session.status).toBe(200);
  return { cookie, csrf: session.json['csrfToken'] as string };
}

/** `git clone` of B's hosted repository with `token` as the Basic-auth password. */
async function clone(
  token: string,
): Promise<{ ok: true; head: string } | { ok: false; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'clone-'));
  try {
    await exec(
      'git',
      ['clone', '--quiet', `${base.replace('http://', `http://x:${token}@`)}/git/b/prod.git`, 'c'],
      { cwd: dir, env: TEST_GIT_ENV },
    );
    return {
      ok: true,
      head: (
        await exec('git', ['rev-parse', 'HEAD'], { cwd: join(dir, 'c'), env: TEST_GIT_ENV })
      ).stdout.trim(),
    };
  } catch (e) {
    return { ok: false, stderr: String((e as { stderr?: unknown }).stderr) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('issue 10 item 3: SSO enforcement covers every credential', () => {
  it('a PAT minted outside B’s SSO is refused on B’s API and git; one minted through B’s SSO works; client tokens keep working', async () => {
    const b = await t.org('b', { 'owner@b.test': 'OWNER' });
    const ownerPat = b.pats['owner@b.test']!;
    expect(
      (
        await http(
          'POST',
          '/api/v1/orgs/b/environments',
          { pat: ownerPat },
          { key: 'prod', name: 'Prod' },
        )
      ).status,
    ).toBe(201);
    const machine = await http(
      'POST',
      '/api/v1/orgs/b/client-tokens',
      { pat: ownerPat },
      { name: 'data-plane', environments: ['prod'] },
    );
    expect(machine.status).toBe(201);
    const conn = await http(
      'POST',
      '/api/v1/orgs/b/sso-connections',
      { pat: ownerPat },
      {
        kind: 'OKTA',
        name: 'B Okta',
        issuer: idps['okta']!.issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      },
    );
    expect(conn.status).toBe(201);
    const connectionId = conn.json['id'] as string;

    // bob (a member of B) signs in through the platform login; his identity at B's IdP is linked to the same account.
    const platform = await signIn('platform', 'bob');
    const bob = await t.db.user.findUniqueOrThrow({ where: { email: 'bob@example.com' } });
    await t.db.membership.create({ data: { orgId: b.id, userId: bob.id, role: 'VIEWER' } });
    await t.db.identity.create({
      data: {
        userId: bob.id,
        issuer: idps['okta']!.issuer,
        subject: 'bob',
        email: 'bob@example.com',
      },
    });
    expect((await http('GET', '/api/v1/orgs/b', { session: platform })).status).toBe(200);
    const revision = (
      await http('GET', '/api/v1/orgs/b/environments/prod/namespaces', { pat: ownerPat })
    ).json['revision'] as string;

    // B turns enforcement on.
    expect(
      (
        await http(
          'PATCH',
          `/api/v1/orgs/b/sso-connections/${connectionId}`,
          { pat: ownerPat },
          { enforce: true },
        )
      ).status,
    ).toBe(200);

    // The attack: the platform session is refused on B, but mints a PAT (a personal action) ...
    expect(await http('GET', '/api/v1/orgs/b', { session: platform })).toMatchObject({
      status: 403,
      json: { code: 'PermissionDenied', message: SESSION_NOT_SSO },
    });
    const minted = await http(
      'POST',
      '/api/v1/me/tokens',
      { session: platform },
      { name: 'sneaky' },
    );
    expect(minted.status).toBe(201);
    expect(minted.json['ssoConnectionIds']).not.toContain(connectionId);
    const sneaky = minted.json['token'] as string;
    // ... and the PAT reads nothing of B: API and git clone are refused, with the way out in the message.
    expect(await http('GET', '/api/v1/orgs/b', { pat: sneaky })).toMatchObject({
      status: 403,
      json: { code: 'PermissionDenied', message: PAT_NOT_SSO },
    });
    expect(
      (await http('GET', '/api/v1/orgs/b/environments/prod/namespaces', { pat: sneaky })).status,
    ).toBe(403);
    const refused = await clone(sneaky);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.stderr).toMatch(/403/);
    // A PAT minted before enforcement (the owner's) is blocked at once: reading, minting B's machine tokens, git.
    expect((await http('GET', '/api/v1/orgs/b', { pat: ownerPat })).status).toBe(403);
    expect(
      await http(
        'POST',
        '/api/v1/orgs/b/client-tokens',
        { pat: ownerPat },
        { name: 'x', environments: ['prod'] },
      ),
    ).toMatchObject({ status: 403, json: { message: PAT_NOT_SSO } });
    expect((await clone(ownerPat)).ok).toBe(false);
    // A PAT minted from the refused PAT inherits its (lack of) authorisation.
    const child = await http('POST', '/api/v1/me/tokens', { pat: sneaky }, { name: 'child' });
    expect(child.status).toBe(201);
    expect(
      (await http('GET', '/api/v1/orgs/b', { pat: child.json['token'] as string })).status,
    ).toBe(403);

    // The way out: sign in through B's SSO and mint a new token from that session.
    const viaB = await signIn(connectionId, 'bob');
    expect((await http('GET', '/api/v1/orgs/b', { session: viaB })).status).toBe(200);
    const authorised = await http(
      'POST',
      '/api/v1/me/tokens',
      { session: viaB },
      { name: 'automation' },
    );
    expect(authorised.status).toBe(201);
    expect(authorised.json['ssoConnectionIds']).toEqual([connectionId]);
    const good = authorised.json['token'] as string;
    expect((await http('GET', '/api/v1/orgs/b', { pat: good })).status).toBe(200);
    expect(await clone(good)).toEqual({ ok: true, head: revision });
    // Tokens minted by an authorised token stay authorised (never more than their parent).
    const grandchild = await http('POST', '/api/v1/me/tokens', { pat: good }, { name: 'ci' });
    expect(
      (await http('GET', '/api/v1/orgs/b', { pat: grandchild.json['token'] as string })).status,
    ).toBe(200);
    // The organisation's machine credential (client token, read-only, scoped) is not a user credential: it keeps working.
    expect(await clone(machine.json['token'] as string)).toEqual({ ok: true, head: revision });
  });
});
