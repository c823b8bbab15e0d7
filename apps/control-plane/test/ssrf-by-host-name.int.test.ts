import 'reflect-metadata';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { startDevIdp, type DevIdp } from '@switchyard/dev-idp';
import { startCanary, type Canary } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Caller, type TestApp } from './harness.js';

/**
 * Issue 10 item 5, replayed through the real control plane: repository URLs whose host resolves to
 * loopback (`vm` and `localhost` are in /etc/hosts), IPv4-compatible and 6to4 spellings of
 * 127.0.0.1, 192.0.0.0/24, 198.18.0.0/15 and the other special-purpose spellings are refused at
 * save time (400), at environment save, at connect time (flag reads, test-connection) for rows
 * that bypassed the API, and nothing ever reaches a loopback canary. A positive control (the same
 * canary, allow-listed) proves the canary sees TLS and SSH handshakes when git does connect.
 */
const HOSTS = [
  'vm',
  'localhost',
  '[::127.0.0.1]',
  '[2002:7f00:1::]',
  '192.0.0.1',
  '198.18.0.1',
  '198.19.255.254',
  '127.0.0.1',
  '2130706433',
  '0x7f.1',
  '0177.0.0.1',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[64:ff9b::7f00:1]',
  '[::1]',
  '[fe80::1]',
  '169.254.169.254',
];

let canary: Canary;
let t: TestApp;
let owner: Caller;
let orgId: string;
beforeAll(async () => {
  canary = await startCanary();
  t = await startApp({ GIT_ALLOW_HTTP: 'true' });
  const org = await t.org('acme', { 'owner@example.com': 'OWNER' });
  orgId = org.id;
  owner = org.callers['owner@example.com']!;
});
afterAll(async () => {
  await t.close();
  await canary.close();
});

const vectors = () =>
  HOSTS.flatMap((h) => [
    `https://${h}:${canary.port}/acme/flags.git`,
    `ssh://git@${h}:${canary.port}/acme/flags.git`,
  ]);
let seq = 0;

describe('issue 10 item 5: SSRF by host name', () => {
  it('save time: every vector is a clear 400 on body.url, and the canary sees nothing', async () => {
    for (const url of [...vectors(), `http://vm:${canary.port}/flags.git`]) {
      const res = await t.call(owner, {
        method: 'POST',
        url: '/api/v1/orgs/acme/repositories',
        body: { name: `r${++seq}`, url },
      });
      expect(res.status, `${url}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.details[0].path, url).toBe('body.url');
      expect(res.json.message, url).toMatch(
        /not allowed|invalid repository URL|request is invalid/,
      );
    }
    expect(await t.db.gitRepository.count()).toBe(0);
    expect(canary.hits).toEqual([]);
  });

  it('rows that bypassed the API: environment save is a 400, reads and test-connection are refused before connecting', async () => {
    for (const url of vectors()) {
      const repo = await t.db.gitRepository.create({ data: { orgId, name: `row${++seq}`, url } });
      const env = await t.call(owner, {
        method: 'POST',
        url: '/api/v1/orgs/acme/environments',
        body: { key: `e${seq}`, name: 'e', repositoryId: repo.id },
      });
      expect(env.status, `${url}: ${JSON.stringify(env.json)}`).toBe(400);
      expect(env.json.details[0]).toMatchObject({
        path: 'body.repositoryId',
        message: expect.stringMatching(/not allowed|canonical/),
      });
      const test = await t.call(owner, {
        method: 'POST',
        url: `/api/v1/orgs/acme/repositories/${repo.id}/test-connection`,
      });
      expect(test.status, `${url}: ${JSON.stringify(test.json)}`).toBe(400);
      // An environment row that names it anyway (database edit): the flag API refuses to connect.
      await t.db.environment.create({
        data: { orgId, key: `row${seq}`, name: 'row', repositoryId: repo.id },
      });
      const read = await t.call(owner, {
        method: 'GET',
        url: `/api/v1/orgs/acme/environments/row${seq}/namespaces`,
      });
      expect(read.status, `${url}: ${JSON.stringify(read.json)}`).toBe(400);
    }
    expect(canary.hits).toEqual([]);
  });

  it('positive control: an allow-listed canary origin is reached (TLS and SSH handshakes recorded)', async () => {
    const allowed = await startApp({
      OUTBOUND_ALLOWED_ORIGINS: `https://vm:${canary.port},ssh://vm:${canary.port}`,
    });
    try {
      const org = await allowed.org('ctl', { 'owner@example.com': 'OWNER' });
      const caller = org.callers['owner@example.com']!;
      for (const url of [`https://vm:${canary.port}/r.git`, `ssh://git@vm:${canary.port}/r.git`]) {
        const repo = await allowed.call(caller, {
          method: 'POST',
          url: '/api/v1/orgs/ctl/repositories',
          body: { name: `c${++seq}`, url },
        });
        expect(repo.status, JSON.stringify(repo.json)).toBe(201);
        const test = await allowed.call(caller, {
          method: 'POST',
          url: `/api/v1/orgs/ctl/repositories/${repo.json.id}/test-connection`,
        });
        expect(test.json.reachable).toBe(false);
      }
      expect(canary.hits.map((h) => h.kind).sort()).toEqual(['ssh', 'tls']);
    } finally {
      canary.hits.length = 0;
      await allowed.close();
    }
  });

  it('SSO: an issuer on loopback is refused unless its exact origin is allow-listed', async () => {
    const idp: DevIdp = await startDevIdp({ profile: 'generic' });
    const origin = new URL(idp.issuer).origin;
    const other = `http://127.0.0.1:${Number(new URL(origin).port) + 1}`;
    const body = (issuer: string) => ({
      kind: 'OIDC',
      name: `sso${++seq}`,
      issuer,
      clientId: 'c',
      clientSecret: 's',
    });
    try {
      for (const issuer of [
        idp.issuer,
        idp.issuer.replace('127.0.0.1', 'localhost'),
        idp.issuer.replace('127.0.0.1', 'vm'),
      ]) {
        const refused = await t.call(owner, {
          method: 'POST',
          url: '/api/v1/orgs/acme/sso-connections',
          body: body(issuer),
        });
        expect(refused.status, issuer).toBe(400);
        expect(refused.json.details[0]).toMatchObject({
          path: 'issuer',
          message: expect.stringMatching(/not allowed/),
        });
      }
      const wrongPort = await startApp({ OUTBOUND_ALLOWED_ORIGINS: other });
      const exact = await startApp({ OUTBOUND_ALLOWED_ORIGINS: origin });
      try {
        for (const [app, status] of [
          [wrongPort, 400],
          [exact, 201],
        ] as const) {
          const org = await app.org('idp', { 'owner@example.com': 'OWNER' });
          const res = await app.call(org.callers['owner@example.com']!, {
            method: 'POST',
            url: '/api/v1/orgs/idp/sso-connections',
            body: body(idp.issuer),
          });
          expect(res.status, JSON.stringify(res.json)).toBe(status);
        }
      } finally {
        await wrongPort.close();
        await exact.close();
      }
    } finally {
      await idp.close();
    }
  });
});

describe('T6: test-connection does not tell a closed port from an open one', () => {
  let silent: TcpServer;
  let http: Server;
  let closedPort = 0;
  beforeAll(async () => {
    silent = createTcpServer((s) => setTimeout(() => s.destroy(), 300));
    http = createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'),
    );
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const probe = createTcpServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  afterAll(async () => {
    await new Promise<void>((r) => silent.close(() => r()));
    await new Promise<void>((r) => http.close(() => r()));
  });

  it('closed port, silent port and an HTTP server that is not git give the identical member-visible answer', async () => {
    const ports = [
      closedPort,
      (silent.address() as { port: number }).port,
      (http.address() as { port: number }).port,
    ];
    // Allow-listed so the address policy lets the probes through: what is compared is the failure.
    const app = await startApp({
      GIT_ALLOW_HTTP: 'true',
      OUTBOUND_ALLOWED_ORIGINS: ports.map((p) => `http://vm:${p}`).join(','),
    });
    try {
      const org = await app.org('t6', { 'owner@example.com': 'OWNER' });
      const caller = org.callers['owner@example.com']!;
      const answers: unknown[] = [];
      for (const port of ports) {
        const repo = await app.db.gitRepository.create({
          data: { orgId: org.id, name: `p${port}`, url: `http://vm:${port}/r.git` },
        });
        const res = await app.call(caller, {
          method: 'POST',
          url: `/api/v1/orgs/t6/repositories/${repo.id}/test-connection`,
        });
        expect(res.status).toBe(200);
        answers.push(res.json);
        await app.db.environment.create({
          data: { orgId: org.id, key: `p${port}`, name: 'p', repositoryId: repo.id },
        });
        const read = await app.call(caller, {
          method: 'GET',
          url: `/api/v1/orgs/t6/environments/p${port}/namespaces`,
        });
        answers.push({ status: read.status, code: read.json.code, message: read.json.message });
      }
      expect(answers[0]).toMatchObject({ reachable: false, branches: 0 });
      expect(answers[1]).toMatchObject({ status: 503 });
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[4]).toEqual(answers[0]);
      expect(answers[3]).toEqual(answers[1]);
      expect(answers[5]).toEqual(answers[1]);
    } finally {
      await app.close();
    }
  });
});
