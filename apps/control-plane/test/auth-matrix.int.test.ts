import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@switchyard/db';
import { startDevIdp, type DevIdp } from '@switchyard/dev-idp';
import { startDnsServer, type DnsServer } from '@switchyard/testing';
import {
  ORG_PERMISSIONS,
  isOrgPermission,
  ROLE_RANK,
  type RoutePermission,
} from '../src/common/permissions.js';
import { EnvironmentStoreService } from '../src/git-hosting/environment-store.service.js';
import { proposalBranch, writeProposal } from '../src/git-hosting/proposal-meta.js';
import { RouteTableService, type RouteEntry } from '../src/openapi/route-table.js';
import { anonymous, startApp, type Caller, type TestApp } from './harness.js';

/**
 * Tenant × role matrix generated from the route table. For every route: anonymous → 401; another
 * organisation's admin → 404 with no side effect (also when naming this org's resources from its
 * own org); a role below the route's permission → 403 with no side effect; every sufficient role →
 * the route's success status. A route without an entry in FIXTURES fails the suite.
 *
 * One control plane (and database) serves the whole file, as starting one costs seconds; each
 * route's cell gets its own two organisations and its own users, so a cell that deletes its
 * organisation, leaves it or logs out cannot change what the next cell sees.
 */

interface Home {
  t: TestApp;
  orgId: string;
  /** The organisation's slug (unique per cell). */
  slug: string;
  /** The caller of the cell (for "self" routes), if any. */
  caller: { userId: string } | null;
}
interface Prepared {
  params?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  query?: string;
}
type Fixture = (home: Home) => Promise<Prepared>;
const sync =
  (f: () => Prepared): Fixture =>
  () =>
    Promise.resolve(f());

let seq = 0;
const unique = (p: string) => `${p}${++seq}`;

async function env(h: Home): Promise<string> {
  const key = unique('env');
  const row = await h.t.db.environment.create({ data: { orgId: h.orgId, key, name: key } });
  // What creating it through the API does: hosted repositories exist only from then on.
  await h.t.app.get(EnvironmentStoreService).initialiseHosted(row, true);
  return key;
}
async function member(h: Home): Promise<string> {
  const u = await h.t.db.user.create({ data: { email: `${unique('m')}@example.com` } });
  await h.t.db.membership.create({ data: { orgId: h.orgId, userId: u.id, role: 'VIEWER' } });
  return u.id;
}
async function repo(h: Home): Promise<string> {
  return (
    await h.t.db.gitRepository.create({
      data: { orgId: h.orgId, name: unique('repo'), url: 'https://git.example.com/r.git' },
    })
  ).id;
}
async function clientToken(h: Home): Promise<string> {
  return (
    await h.t.db.clientToken.create({
      data: {
        orgId: h.orgId,
        name: 't',
        tokenHash: unique('hash'),
        prefix: 'sy_live_x',
        namespaces: [],
      },
    })
  ).id;
}

async function hook(h: Home): Promise<string> {
  const row = await h.t.db.outboundHook.create({
    data: {
      orgId: h.orgId,
      name: unique('hook'),
      url: 'https://hooks.example.com/in',
      events: ['commit'],
      secretCiphertext: Buffer.from([1]),
    },
  });
  return row.id;
}
async function hookDelivery(h: Home): Promise<{ hookId: string; deliveryId: string }> {
  const hookId = await hook(h);
  const eventId = unique('evt_');
  const row = await h.t.db.outboundHookDelivery.create({
    data: {
      hookId,
      orgId: h.orgId,
      eventId,
      eventType: 'commit',
      dedupeKey: `${hookId}/${eventId}`,
      body: JSON.stringify({ id: eventId, type: 'commit' }),
    },
  });
  return { hookId, deliveryId: row.id };
}

async function ssoConnection(h: Home): Promise<string> {
  const row = await h.t.db.ssoConnection.create({
    data: {
      id: randomUUID(),
      orgId: h.orgId,
      kind: 'OIDC',
      name: unique('sso'),
      issuer: 'https://idp.example.com',
      clientId: 'c',
      clientSecretCiphertext: Buffer.from([1]),
      allowedDomains: [],
      roleMapping: {},
    },
  });
  return row.id;
}
// Creating a connection runs discovery, so a real (local) provider must answer.
let idp: Promise<DevIdp> | undefined;
const issuer = async () => (await (idp ??= startDevIdp({ profile: 'generic' }))).issuer;
// Domain verification looks TXT records up on a real DNS server on loopback (DNS_RESOLVERS).
let dns: DnsServer;
async function domain(h: Home, published = false): Promise<string> {
  const name = `${unique('d')}.example`;
  const row = await h.t.db.orgDomain.create({
    data: { orgId: h.orgId, domain: name, token: unique('token') },
  });
  if (published)
    dns.set(`_switchyard-challenge.${name}`, {
      TXT: [`switchyard-domain-verification=${row.token}`],
    });
  return row.id;
}

// Flag API fixtures: an environment whose hosted repository holds a flag, a segment and a second namespace.
const SEED =
  'version: "1.4"\nnamespace:\n  key: default\n  name: Default\nflags:\n  - key: f1\n    name: F1\n    variants:\n      - key: a\nsegments:\n  - key: s1\n    name: S1\n    match_type: ALL_MATCH_TYPE\n';
async function seeded(
  h: Home,
): Promise<{ env: string; rev: string; ifMatch: Record<string, string> }> {
  const key = await env(h);
  const opened = await h.t.app.get(EnvironmentStoreService).open(h.orgId, key);
  const changes = new Map([
    ['default/features.yaml', SEED],
    ['extra/features.yaml', 'version: "1.4"\nnamespace:\n  key: extra\n'],
  ]);
  const rev = await opened.store.commit({
    branch: opened.branch,
    base: opened.head,
    changes,
    author: { name: 'Seed', email: 'seed@example.com' },
    message: 'seed',
  });
  return { env: key, rev, ifMatch: { 'if-match': `"${rev}"` } };
}
/** An open proposal by a seed user adding a namespace; `approved`: approved by another seed user. */
async function proposal(
  h: Home,
  approved = false,
): Promise<{ env: string; id: string; head: string }> {
  const s = await seeded(h);
  const opened = await h.t.app.get(EnvironmentStoreService).open(h.orgId, s.env);
  const id = randomUUID();
  await opened.store.createBranch(proposalBranch(id), s.rev);
  const changes = new Map([
    ['extra/features.yaml', 'version: "1.4"\nnamespace:\n  key: extra\n  name: Extra\n'],
  ]);
  const head = await opened.store.commit({
    branch: proposalBranch(id),
    base: s.rev,
    changes,
    author: { name: 'Seed', email: 'seed@example.com' },
    message: 'proposed',
  });
  const createdBy = { userId: 'seed', email: 'seed@example.com' };
  await writeProposal(
    opened.store,
    {
      id,
      title: 't',
      status: 'open',
      target: opened.branch,
      base: s.rev,
      createdBy,
      createdAt: new Date().toISOString(),
      ...(approved
        ? {
            approvals: [
              {
                userId: 'reviewer',
                email: 'reviewer@example.com',
                revision: head,
                approvedAt: new Date().toISOString(),
              },
            ],
          }
        : {}),
    },
    null,
  );
  return { env: s.env, id, head };
}
/** A scheduled merge of a seeded proposal, in `status`, scheduled by someone outside the cell. */
async function scheduled(
  h: Home,
  status: 'PENDING' | 'AWAITING_APPROVAL',
): Promise<{ env: string; id: string; head: string }> {
  const p = await proposal(h);
  const env = await h.t.db.environment.findFirstOrThrow({ where: { orgId: h.orgId, key: p.env } });
  const row = await h.t.db.scheduledChange.create({
    data: {
      orgId: h.orgId,
      environmentId: env.id,
      kind: 'proposal',
      proposalId: p.id,
      payload: { proposal: p.id, title: 't' },
      baseRevision: p.head,
      summary: 'Merge proposal "t"',
      runAt: new Date(Date.now() + 3_600_000),
      status,
      createdById: randomUUID(),
      createdByEmail: 'seed@example.com',
    },
  });
  return { env: p.env, id: row.id, head: p.head };
}
const flagRoute =
  (build: (s: Awaited<ReturnType<typeof seeded>>) => Prepared): Fixture =>
  async (h) =>
    build(await seeded(h));
const ENV = '/api/v1/orgs/:org/environments/:env';

const FIXTURES: Record<string, Fixture> = {
  'GET /api/v1/me': sync(() => ({})),
  'GET /api/v1/session': sync(() => ({})),
  'DELETE /api/v1/session': sync(() => ({})),
  'GET /api/v1/me/tokens': sync(() => ({})),
  'GET /api/v1/me/sessions': sync(() => ({})),
  'DELETE /api/v1/me/sessions/:sessionId': async (h) => ({
    params: {
      sessionId: (
        await h.t.db.session.create({
          data: {
            userId: h.caller!.userId,
            tokenHash: unique('session'),
            expiresAt: new Date(Date.now() + 3_600_000),
          },
        })
      ).id,
    },
  }),
  'GET /api/v1/me/audit-events': sync(() => ({})),
  'POST /api/v1/me/tokens': sync(() => ({ body: { name: 'ci' } })),
  'DELETE /api/v1/me/tokens/:tokenId': async (h) => ({
    params: {
      tokenId: (
        await h.t.db.personalAccessToken.create({
          data: {
            userId: h.caller!.userId,
            name: 'x',
            tokenHash: unique('pat'),
            prefix: 'sy_pat_x',
          },
        })
      ).id,
    },
  }),
  'GET /api/v1/orgs': sync(() => ({})),
  'POST /api/v1/orgs': sync(() => ({ body: { slug: unique('new'), name: 'New' } })),
  'GET /api/v1/orgs/:org': sync(() => ({})),
  'PATCH /api/v1/orgs/:org': sync(() => ({ body: { name: unique('Renamed') } })),
  'DELETE /api/v1/orgs/:org': (h) => Promise.resolve({ body: { confirm: h.slug } }),
  'POST /api/v1/orgs/:org/leave': sync(() => ({})),
  'GET /api/v1/orgs/:org/audit-events': sync(() => ({})),
  'GET /api/v1/orgs/:org/members': sync(() => ({})),
  'POST /api/v1/orgs/:org/members': sync(() => ({
    body: { email: `${unique('invitee')}@example.com`, role: 'EDITOR' },
  })),
  'PATCH /api/v1/orgs/:org/members/:userId': async (h) => ({
    params: { userId: await member(h) },
    body: { role: 'EDITOR' },
  }),
  'DELETE /api/v1/orgs/:org/members/:userId': async (h) => ({
    params: { userId: await member(h) },
  }),
  'GET /api/v1/orgs/:org/environments': sync(() => ({})),
  'GET /api/v1/orgs/:org/instance': sync(() => ({})),
  'POST /api/v1/orgs/:org/environments': sync(() => ({
    body: { key: unique('env'), name: 'Env', protected: true },
  })),
  'GET /api/v1/orgs/:org/environments/:env': async (h) => ({ params: { env: await env(h) } }),
  'PATCH /api/v1/orgs/:org/environments/:env': async (h) => ({
    params: { env: await env(h) },
    body: { name: 'Changed', protected: true },
  }),
  'DELETE /api/v1/orgs/:org/environments/:env': async (h) => ({ params: { env: await env(h) } }),
  'GET /api/v1/orgs/:org/repositories': sync(() => ({})),
  'POST /api/v1/orgs/:org/repositories': sync(() => ({
    body: {
      name: unique('repo'),
      url: 'https://git.example.com/flags.git',
      credential: { secret: 'ghp_secret' },
    },
  })),
  'GET /api/v1/orgs/:org/repositories/:repositoryId': async (h) => ({
    params: { repositoryId: await repo(h) },
  }),
  'DELETE /api/v1/orgs/:org/repositories/:repositoryId': async (h) => ({
    params: { repositoryId: await repo(h) },
  }),
  'POST /api/v1/orgs/:org/repositories/:repositoryId/test-connection': async (h) => ({
    params: { repositoryId: await repo(h) },
  }),
  'GET /api/v1/orgs/:org/client-tokens': sync(() => ({})),
  'POST /api/v1/orgs/:org/client-tokens': async (h) => ({
    body: { name: 'sdk', environments: [await env(h)] },
  }),
  'GET /api/v1/orgs/:org/client-tokens/:tokenId': async (h) => ({
    params: { tokenId: await clientToken(h) },
  }),
  'POST /api/v1/orgs/:org/client-tokens/:tokenId/revoke': async (h) => ({
    params: { tokenId: await clientToken(h) },
  }),
  'GET /api/v1/orgs/:org/outbound-webhooks': sync(() => ({})),
  'POST /api/v1/orgs/:org/outbound-webhooks': sync(() => ({
    body: { name: unique('hook'), url: 'https://hooks.example.com/in', events: ['commit'] },
  })),
  'GET /api/v1/orgs/:org/outbound-webhooks/:hookId': async (h) => ({
    params: { hookId: await hook(h) },
  }),
  'PATCH /api/v1/orgs/:org/outbound-webhooks/:hookId': async (h) => ({
    params: { hookId: await hook(h) },
    body: { enabled: false },
  }),
  'DELETE /api/v1/orgs/:org/outbound-webhooks/:hookId': async (h) => ({
    params: { hookId: await hook(h) },
  }),
  'POST /api/v1/orgs/:org/outbound-webhooks/:hookId/test': async (h) => ({
    params: { hookId: await hook(h) },
  }),
  'GET /api/v1/orgs/:org/outbound-webhooks/:hookId/deliveries': async (h) => ({
    params: { hookId: await hook(h) },
  }),
  'GET /api/v1/orgs/:org/outbound-webhooks/:hookId/deliveries/:deliveryId': async (h) => ({
    params: await hookDelivery(h),
  }),
  'POST /api/v1/orgs/:org/outbound-webhooks/:hookId/deliveries/:deliveryId/redeliver': async (
    h,
  ) => ({
    params: await hookDelivery(h),
  }),
  'POST /api/v1/auth/logout': sync(() => ({})),
  'GET /api/v1/orgs/:org/sso-connections': sync(() => ({})),
  'POST /api/v1/orgs/:org/sso-connections': async () => ({
    body: {
      kind: 'OIDC',
      name: unique('sso'),
      issuer: await issuer(),
      clientId: 'c',
      clientSecret: 's',
    },
  }),
  'GET /api/v1/orgs/:org/sso-connections/:connectionId': async (h) => ({
    params: { connectionId: await ssoConnection(h) },
  }),
  // enforce stays off: turned on, it would rightly refuse the next role's PAT (not minted through SSO: enforcement covers every credential).
  'PATCH /api/v1/orgs/:org/sso-connections/:connectionId': async (h) => ({
    params: { connectionId: await ssoConnection(h) },
    body: { name: unique('Renamed'), enforce: false },
  }),
  'DELETE /api/v1/orgs/:org/sso-connections/:connectionId': async (h) => ({
    params: { connectionId: await ssoConnection(h) },
  }),
  'GET /api/v1/orgs/:org/domains': sync(() => ({})),
  'POST /api/v1/orgs/:org/domains': sync(() => ({ body: { domain: `${unique('new')}.example` } })),
  'GET /api/v1/orgs/:org/domains/:domainId': async (h) => ({
    params: { domainId: await domain(h) },
  }),
  'POST /api/v1/orgs/:org/domains/:domainId/verify': async (h) => ({
    params: { domainId: await domain(h, true) },
  }),
  'DELETE /api/v1/orgs/:org/domains/:domainId': async (h) => ({
    params: { domainId: await domain(h) },
  }),
  [`GET ${ENV}/namespaces`]: flagRoute((s) => ({ params: { env: s.env } })),
  [`POST ${ENV}/namespaces`]: flagRoute((s) => ({
    params: { env: s.env },
    headers: s.ifMatch,
    body: { key: unique('ns'), name: 'N' },
  })),
  [`PATCH ${ENV}/namespaces/:ns`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default' },
    headers: s.ifMatch,
    body: { name: 'Renamed' },
  })),
  [`DELETE ${ENV}/namespaces/:ns`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'extra' },
    headers: s.ifMatch,
  })),
  [`GET ${ENV}/namespaces/:ns/flags`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default' },
  })),
  [`GET ${ENV}/namespaces/:ns/flags/:flag`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
  })),
  [`PUT ${ENV}/namespaces/:ns/flags/:flag`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f2' },
    headers: s.ifMatch,
    body: { key: 'f2', name: 'F2' },
  })),
  [`DELETE ${ENV}/namespaces/:ns/flags/:flag`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
    headers: s.ifMatch,
  })),
  [`PUT ${ENV}/namespaces/:ns/flags/:flag/rules`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
    headers: s.ifMatch,
    body: { rules: [{ segment: 's1', distributions: [] }] },
  })),
  [`PUT ${ENV}/namespaces/:ns/flags/:flag/rollouts`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
    headers: s.ifMatch,
    body: { rollouts: [] },
  })),
  [`GET ${ENV}/namespaces/:ns/segments`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default' },
  })),
  [`GET ${ENV}/namespaces/:ns/segments/:segment`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', segment: 's1' },
  })),
  [`PUT ${ENV}/namespaces/:ns/segments/:segment`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', segment: 's2' },
    headers: s.ifMatch,
    body: { key: 's2', name: 'S2', match_type: 'ANY_MATCH_TYPE' },
  })),
  [`DELETE ${ENV}/namespaces/:ns/segments/:segment`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', segment: 's1' },
    headers: s.ifMatch,
  })),
  [`GET ${ENV}/history`]: flagRoute((s) => ({ params: { env: s.env } })),
  [`GET ${ENV}/events`]: async (h) => ({ params: { env: await env(h) } }),
  [`GET ${ENV}/diff`]: flagRoute((s) => ({ params: { env: s.env }, query: `?from=${s.rev}` })),
  [`POST ${ENV}/revert`]: flagRoute((s) => ({
    params: { env: s.env },
    headers: s.ifMatch,
    body: { revision: s.rev },
  })),
  [`POST ${ENV}/namespaces/:ns/flags/:flag/restore`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
    headers: s.ifMatch,
    body: { revision: s.rev },
  })),
  [`GET ${ENV}/namespaces/:ns/flags/:flag/usage`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
  })),
  [`GET ${ENV}/usage-summary`]: flagRoute((s) => ({ params: { env: s.env } })),
  [`GET ${ENV}/stale-flags`]: flagRoute((s) => ({ params: { env: s.env } })),
  [`POST ${ENV}/stale-flags/archive`]: flagRoute((s) => ({
    params: { env: s.env },
    headers: s.ifMatch,
    body: { flags: [{ namespace: 'default', flag: 'f1' }] },
  })),
  [`GET ${ENV}/namespaces/:ns/flags/:flag/at`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
    query: `?revision=${s.rev}`,
  })),
  [`GET ${ENV}/namespaces/:ns/flags/:flag/source`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
  })),
  [`PUT ${ENV}/namespaces/:ns/flags/:flag/source`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', flag: 'f1' },
    headers: s.ifMatch,
    body: { text: '  - key: f1\n    name: F1 # renamed\n    variants:\n      - key: a\n' },
  })),
  [`GET ${ENV}/namespaces/:ns/segments/:segment/source`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', segment: 's1' },
  })),
  [`PUT ${ENV}/namespaces/:ns/segments/:segment/source`]: flagRoute((s) => ({
    params: { env: s.env, ns: 'default', segment: 's1' },
    headers: s.ifMatch,
    body: { text: '  - key: s1\n    name: S1\n    match_type: ANY_MATCH_TYPE\n' },
  })),
  'POST /api/v1/orgs/:org/playground': flagRoute((s) => ({
    body: { environments: [s.env], entityId: 'u1', context: { plan: 'pro' } },
  })),
  [`POST ${ENV}/promotions/preview`]: async (h) => ({
    params: { env: (await seeded(h)).env },
    body: { source: (await seeded(h)).env },
  }),
  [`POST ${ENV}/promotions`]: async (h) => {
    const [target, source] = [await seeded(h), await seeded(h)];
    return {
      params: { env: target.env },
      headers: target.ifMatch,
      body: { source: source.env, namespace: 'default', flag: 'f1' },
    };
  },
  [`POST ${ENV}/proposals`]: flagRoute((s) => ({
    params: { env: s.env },
    body: { title: 'Change' },
  })),
  [`GET ${ENV}/proposals`]: flagRoute((s) => ({ params: { env: s.env } })),
  [`GET ${ENV}/proposals/:proposalId`]: async (h) => {
    const p = await proposal(h);
    return { params: { env: p.env, proposalId: p.id } };
  },
  [`POST ${ENV}/proposals/:proposalId/approve`]: async (h) => {
    const p = await proposal(h);
    return { params: { env: p.env, proposalId: p.id }, headers: { 'if-match': `"${p.head}"` } };
  },
  [`POST ${ENV}/proposals/:proposalId/merge`]: async (h) => {
    const p = await proposal(h, true);
    return { params: { env: p.env, proposalId: p.id }, headers: { 'if-match': `"${p.head}"` } };
  },
  [`POST ${ENV}/proposals/:proposalId/request-changes`]: async (h) => {
    const p = await proposal(h);
    return {
      params: { env: p.env, proposalId: p.id },
      headers: { 'if-match': `"${p.head}"` },
      body: { comment: 'Use 25 % first' },
    };
  },
  [`POST ${ENV}/scheduled-changes`]: flagRoute((s) => ({
    params: { env: s.env },
    headers: s.ifMatch,
    body: {
      kind: 'flag',
      at: new Date(Date.now() + 3_600_000).toISOString(),
      namespace: 'default',
      flag: 'f1',
      document: { key: 'f1', name: 'F1 later', variants: [{ key: 'a' }] },
    },
  })),
  [`GET ${ENV}/scheduled-changes`]: flagRoute((s) => ({ params: { env: s.env } })),
  [`GET ${ENV}/scheduled-changes/:scheduleId`]: async (h) => {
    const s = await scheduled(h, 'PENDING');
    return { params: { env: s.env, scheduleId: s.id } };
  },
  [`POST ${ENV}/scheduled-changes/:scheduleId/cancel`]: async (h) => {
    const s = await scheduled(h, 'PENDING');
    return { params: { env: s.env, scheduleId: s.id } };
  },
  [`POST ${ENV}/scheduled-changes/:scheduleId/approve`]: async (h) => {
    const s = await scheduled(h, 'AWAITING_APPROVAL');
    return { params: { env: s.env, scheduleId: s.id }, headers: { 'if-match': `"${s.head}"` } };
  },
  'GET /api/v1/orgs/:org/repositories/:repositoryId/webhook': async (h) => ({
    params: { repositoryId: await repo(h) },
  }),
};

const ROLES: Role[] = ['VIEWER', 'EDITOR', 'ADMIN', 'OWNER'];
const METHOD: Record<string, 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'> = {
  GET: 'GET',
  POST: 'POST',
  PATCH: 'PATCH',
  PUT: 'PUT',
  DELETE: 'DELETE',
};

function url(route: RouteEntry, org: string, params: Record<string, string> = {}): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    name === 'org' ? org : (params[name] ?? `missing-${name}`),
  );
}

/**
 * An event stream never ends, so `inject` cannot read it: its status comes from a real HTTP
 * request that is closed once the headers are in (refusals are still read whole, as JSON).
 */
async function streamStatus(
  t: TestApp,
  caller: Caller,
  path: string,
): Promise<{ status: number; json: unknown }> {
  const server = t.app.getHttpServer();
  if (!server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const abort = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: caller.kind === 'pat' ? { authorization: `Bearer ${caller.token}` } : {},
    signal: abort.signal,
  });
  const json: unknown = res.ok ? undefined : await res.json();
  abort.abort();
  return { status: res.status, json };
}

/** Digest of every table: detects inserts, updates and deletes alike (one query, one row). */
let digestQuery: string | undefined;
async function fingerprint(t: TestApp): Promise<string> {
  if (!digestQuery) {
    const tables = await t.db.$queryRaw<
      { tablename: string }[]
    >`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
    digestQuery = `SELECT ${tables
      .map(
        ({ tablename }) =>
          `(SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM "${tablename}" x) AS "${tablename}"`,
      )
      .join(', ')}`;
  }
  const [row] = await t.db.$queryRawUnsafe<Record<string, string | null>[]>(digestQuery);
  return JSON.stringify(row);
}

let t: TestApp;
let routes: RouteEntry[] = [];
beforeAll(async () => {
  dns = await startDnsServer();
  // The local IdP is on loopback: its exact origin is allow-listed, as an operator would do.
  t = await startApp({
    OUTBOUND_ALLOWED_ORIGINS: new URL(await issuer()).origin,
    DNS_RESOLVERS: dns.address,
  });
  routes = t.app
    .get(RouteTableService)
    .routes()
    .filter((r) => r.permission !== 'public');
});
afterAll(async () => {
  await t?.close();
  await (await idp)?.close();
  await dns?.close();
});

describe('authorization matrix', () => {
  it('has a fixture for every guarded route and no stale fixtures', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(
      keys.filter((k) => !(k in FIXTURES)),
      'routes missing from the matrix',
    ).toEqual([]);
    expect(
      Object.keys(FIXTURES).filter((k) => !keys.includes(k)),
      'fixtures without a route',
    ).toEqual([]);
  });

  it('covers every organisation permission', () => {
    const used = new Set(routes.map((r) => r.permission));
    expect(Object.keys(ORG_PERMISSIONS).filter((p) => !used.has(p as RoutePermission))).toEqual([]);
  });

  // Routes are only known after beforeAll, so one test per route is generated from the snapshot.
  const table = Object.keys(FIXTURES);
  it.each(table)('%s', async (key) => {
    const route = routes.find((r) => `${r.method} ${r.path}` === key);
    expect(route, `${key} is not a route any more`).toBeDefined();
    const r = route!;
    // This cell's own organisations and users (see the file's comment).
    const n = ++seq;
    const home = await t.org(`home${n}`, {
      [`owner${n}@example.com`]: 'OWNER',
      [`owner${n}b@example.com`]: 'OWNER',
      [`admin${n}@example.com`]: 'ADMIN',
      [`editor${n}@example.com`]: 'EDITOR',
      [`viewer${n}@example.com`]: 'VIEWER',
    });
    const other = await t.org(`other${n}`, { [`stranger${n}@example.com`]: 'ADMIN' });
    const byRole: Record<Role, Caller & { kind: 'pat'; userId: string }> = {
      OWNER: home.callers[`owner${n}@example.com`]!,
      ADMIN: home.callers[`admin${n}@example.com`]!,
      EDITOR: home.callers[`editor${n}@example.com`]!,
      VIEWER: home.callers[`viewer${n}@example.com`]!,
    };
    const stranger = other.callers[`stranger${n}@example.com`]!;
    // Warm-up: a PAT's first use stamps lastUsedAt; do it before any fingerprint is taken.
    for (const c of [...Object.values(byRole), stranger])
      await t.call(c, { method: 'GET', url: '/api/v1/me' });
    const h = (caller: { userId: string } | null): Home => ({
      t,
      orgId: home.id,
      slug: home.slug,
      caller,
    });
    const send = async (caller: Caller, org: string, p: Prepared) =>
      r.spec?.contentType === 'text/event-stream'
        ? streamStatus(t, caller, url(r, org, p.params) + (p.query ?? ''))
        : t.call(caller, {
            method: METHOD[r.method]!,
            url: url(r, org, p.params) + (p.query ?? ''),
            ...(p.body !== undefined ? { body: p.body } : {}),
            ...(p.headers ? { headers: p.headers } : {}),
          });
    const refused = async (
      caller: Caller,
      org: string,
      p: Prepared,
      status: number,
      label: string,
    ) => {
      const before = await fingerprint(t);
      const res = await send(caller, org, p);
      expect(res.status, `${label}: ${JSON.stringify(res.json)}`).toBe(status);
      expect(await fingerprint(t), `${label} changed data`).toBe(before);
    };

    // Refused calls are asserted to change nothing (status and fingerprint), so one prepared
    // request serves every refused caller; each allowed call gets its own below.
    const p = await FIXTURES[key]!(h(byRole.OWNER));
    await refused(anonymous, home.slug, p, 401, 'anonymous');
    const permission = r.permission!;
    if (isOrgPermission(permission)) {
      await refused(stranger, home.slug, p, 404, "other org's admin on this org");
      if (Object.keys(p.params ?? {}).length > 0)
        await refused(stranger, other.slug, p, 404, "other org's admin naming this org's resource");
      for (const role of ROLES.filter(
        (x) => ROLE_RANK[x] < ROLE_RANK[ORG_PERMISSIONS[permission]],
      )) {
        await refused(byRole[role], home.slug, p, 403, role);
      }
      for (const role of ROLES.filter(
        (x) => ROLE_RANK[x] >= ROLE_RANK[ORG_PERMISSIONS[permission]],
      )) {
        // Reads change nothing, so the request prepared above also serves every allowed reader.
        const allowed = r.method === 'GET' ? p : await FIXTURES[key]!(h(byRole[role]));
        const res = await send(byRole[role], home.slug, allowed);
        expect(res.status, `${role}: ${JSON.stringify(res.json)}`).toBe(r.spec?.status ?? 200);
      }
    } else {
      if (Object.keys(p.params ?? {}).length > 0)
        await refused(stranger, home.slug, p, 404, "another user naming this user's resource");
      for (const caller of [byRole.VIEWER, stranger]) {
        const res = await send(caller, home.slug, await FIXTURES[key]!(h(caller)));
        expect(res.status, JSON.stringify(res.json)).toBe(r.spec?.status ?? 200);
      }
    }
  });
});
