import { createSocket } from 'node:dgram';
import { startDnsServer, type DnsServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Caller, type TestApp } from '../harness.js';

let dns: DnsServer;
let t: TestApp | undefined;
beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns?.close();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
  dns.clear();
});

async function home(
  env: Record<string, string> = { DNS_RESOLVERS: dns.address },
): Promise<{ app: TestApp; owner: Caller; orgId: string }> {
  t = await startApp(env);
  const org = await t.org('home', { 'owner@home.test': 'OWNER' });
  return { app: t, owner: org.callers['owner@home.test']!, orgId: org.id };
}

describe('organisation domains', () => {
  it('register, verify against the loopback DNS server, list, get, delete; every change audited', async () => {
    const { app, owner, orgId } = await home();
    const created = await app.call(owner, {
      method: 'POST',
      url: '/api/v1/orgs/home/domains',
      body: { domain: 'Home.Example' },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({
      domain: 'home.example',
      status: 'pending',
      verifiedAt: null,
    });
    expect(
      (
        await app.call(owner, {
          method: 'POST',
          url: '/api/v1/orgs/home/domains',
          body: { domain: 'home.example' },
        })
      ).status,
    ).toBe(409);

    const verify = {
      method: 'POST' as const,
      url: `/api/v1/orgs/home/domains/${created.json.id}/verify`,
    };
    // A record with the wrong token (or on the bare domain) does not verify.
    dns.set('home.example', { TXT: [created.json.verification.value] });
    dns.set(created.json.verification.name, { TXT: ['switchyard-domain-verification=wrong'] });
    const missing = await app.call(owner, verify);
    expect(missing.status).toBe(412);
    expect(missing.json.message).toContain(created.json.verification.name);
    dns.set(created.json.verification.name, { TXT: [created.json.verification.value] });
    expect((await app.call(owner, verify)).json).toMatchObject({ status: 'verified' });
    expect((await app.call(owner, verify)).status).toBe(200);

    const list = await app.call(owner, { method: 'GET', url: '/api/v1/orgs/home/domains' });
    expect(list.json.items).toEqual([
      expect.objectContaining({ id: created.json.id, status: 'verified' }),
    ]);
    expect(
      (
        await app.call(owner, {
          method: 'GET',
          url: `/api/v1/orgs/home/domains/${created.json.id}`,
        })
      ).json.domain,
    ).toBe('home.example');
    expect(
      (
        await app.call(owner, {
          method: 'DELETE',
          url: `/api/v1/orgs/home/domains/${created.json.id}`,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await app.call(owner, {
          method: 'GET',
          url: `/api/v1/orgs/home/domains/${created.json.id}`,
        })
      ).status,
    ).toBe(404);
    const audit = await app.db.auditEvent.findMany({
      where: { orgId, targetType: 'domain' },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => e.action)).toEqual(['domain.create', 'domain.verify', 'domain.delete']);
  });

  it('refuses what is not a domain name with 400 on body.domain', async () => {
    const { app, owner } = await home();
    for (const domain of [
      'https://home.example',
      'home.example.',
      '127.0.0.1',
      'localhost',
      'home.example:443',
      'home.example/path',
      '*.home.example',
      '',
      'a'.repeat(254),
    ]) {
      const res = await app.call(owner, {
        method: 'POST',
        url: '/api/v1/orgs/home/domains',
        body: { domain },
      });
      expect(res.status, `${domain}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.details.map((d: { path: string }) => d.path)).toContain('body.domain');
    }
    expect(await app.db.orgDomain.count()).toBe(0);
  });

  it('a DNS server that does not answer is a 503 naming the lookup, never a 500', async () => {
    // A UDP port nobody listens on: the resolver gets "connection refused".
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { app, owner } = await home({ DNS_RESOLVERS: `127.0.0.1:${port}` });
    const created = await app.call(owner, {
      method: 'POST',
      url: '/api/v1/orgs/home/domains',
      body: { domain: 'home.example' },
    });
    const res = await app.call(owner, {
      method: 'POST',
      url: `/api/v1/orgs/home/domains/${created.json.id}/verify`,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(503);
    expect(res.json.message).toContain('_switchyard-challenge.home.example');
    expect(
      (await app.db.orgDomain.findUniqueOrThrow({ where: { id: created.json.id } })).verifiedDomain,
    ).toBeNull();
  });
});
