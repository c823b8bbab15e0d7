/**
 * Issue 10 (durability): client tokens' `lastUsedAt`, through real processes. A real instance
 * (child process of the data-plane binary) authenticates SDK requests through the edge, marks
 * the use in memory and reports it with its status; the control plane records it, throttled,
 * and the client-tokens API shows it. An instance naming another organisation's token ids in its
 * report changes nothing there.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceSecret } from '../../src/instances/instance-credentials.js';
import { instanceContract } from '@switchyard/contracts';
import { TokenUsageRecorder } from '../../src/internal-grpc/token-usage.recorder.js';
import type { Caller } from '../harness.js';
import { flagsYaml, startCloud, until, type Cloud } from './cloud.js';

let cloud: Cloud;
const repos: Array<{ cleanup(): Promise<void> }> = [];
beforeAll(async () => {
  cloud = await startCloud();
}, 120_000);
afterAll(async () => {
  for (const r of repos) await r.cleanup();
  await cloud?.close();
});

interface Tenant {
  id: string;
  slug: string;
  owner: Caller;
  instanceId: string;
  tokenId: string;
  token: string;
}

async function tenant(slug: string): Promise<Tenant> {
  const org = await cloud.createOrg(slug);
  const inst = await cloud.waitInstance(org.id, ['ready'], 30_000);
  const repo = await cloud.repo(`${slug}-flags`);
  repos.push(repo);
  await repo.commitFiles({ 'default/features.yaml': flagsYaml(true) }, 'initial flags');
  // Arranged directly: the public API accepts only https:// remotes; the test server is http.
  const gitRepo = await cloud.t.db.gitRepository.create({
    data: { orgId: org.id, name: 'flags', url: `${cloud.git.url}/${slug}-flags.git` },
  });
  const env = await cloud.t.call(org.owner, {
    method: 'POST',
    url: `/api/v1/orgs/${slug}/environments`,
    body: { key: 'production', name: 'Production', repositoryId: gitRepo.id },
  });
  expect(env.status).toBe(201);
  const tok = await cloud.t.call(org.owner, {
    method: 'POST',
    url: `/api/v1/orgs/${slug}/client-tokens`,
    body: { name: 'sdk', environments: ['production'] },
  });
  expect(tok.status).toBe(201);
  expect(tok.json.lastUsedAt).toBeNull();
  return {
    id: org.id,
    slug,
    owner: org.owner,
    instanceId: inst.id,
    tokenId: tok.json.id as string,
    token: tok.json.token as string,
  };
}

async function lastUsedAt(t: Tenant): Promise<string | null> {
  const res = await cloud.t.call(t.owner, {
    method: 'GET',
    url: `/api/v1/orgs/${t.slug}/client-tokens/${t.tokenId}`,
  });
  expect(res.status).toBe(200);
  return res.json.lastUsedAt as string | null;
}

describe('issue 10 durability: client tokens record lastUsedAt', () => {
  it('an evaluation through the edge shows up as lastUsedAt; another organisation’s instance cannot touch it', async () => {
    const a = await tenant('usage-a');
    const b = await tenant('usage-b');
    const before = Date.now();
    await until(
      'evaluation through the edge',
      async () =>
        (
          await fetch(`${cloud.edgeUrl}/e/${a.slug}/production/evaluate/v1/boolean`, {
            method: 'POST',
            headers: { authorization: `Bearer ${a.token}` },
            body: '{"flagKey":"banner","entityId":"u"}',
          })
        ).status === 200,
      30_000,
    );
    // Reported with the instance's next status report (every 5 s), written at once the first time.
    const seen = await until('lastUsedAt through the API', () => lastUsedAt(a), 20_000, 200);
    expect(Date.parse(seen)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(seen)).toBeLessThanOrEqual(Date.now());
    expect(
      (await cloud.t.call(a.owner, { method: 'GET', url: `/api/v1/orgs/${a.slug}/client-tokens` }))
        .json.items[0].lastUsedAt,
    ).toBe(seen);
    expect(await lastUsedAt(b)).toBeNull();

    // The attack: A's instance credential reports B's token as used.
    const client = new (instanceContract().InstanceService)(
      new URL(cloud.grpcUrl).host,
      grpc.credentials.createInsecure(),
    );
    const md = new grpc.Metadata();
    md.set('x-switchyard-instance-id', a.instanceId);
    md.set('authorization', `Bearer ${instanceSecret(cloud.config.secret, a.instanceId)}`);
    const row = await cloud.t.db.instance.findUniqueOrThrow({ where: { id: a.instanceId } });
    const observed = row.observedState as {
      configVersion?: string;
      httpPort?: number;
      grpcPort?: number;
      environments?: unknown[];
    };
    try {
      await new Promise<void>((resolve, reject) =>
        (
          client as unknown as {
            ReportStatus: (
              r: object,
              m: grpc.Metadata,
              cb: (e: grpc.ServiceError | null) => void,
            ) => void;
          }
        ).ReportStatus(
          {
            environments: observed.environments ?? [],
            configVersion: observed.configVersion ?? '',
            httpPort: observed.httpPort ?? 0,
            grpcPort: observed.grpcPort ?? 0,
            tokenUsage: [{ tokenId: b.tokenId, lastUsedAtMs: Date.now() }],
          },
          md,
          (e) => (e ? reject(e) : resolve()),
        ),
      );
    } finally {
      client.close();
    }
    expect(await lastUsedAt(b)).toBeNull();
    expect(
      (await cloud.t.db.clientToken.findUniqueOrThrow({ where: { id: b.tokenId } })).lastUsedAt,
    ).toBeNull();
  }, 120_000);

  it('writes one token at most once a minute, and only for the reporting organisation', async () => {
    const recorder = cloud.t.app.get(TokenUsageRecorder);
    const org = await cloud.t.org('usage-throttle', { 'o@example.com': 'OWNER' });
    const other = await cloud.t.org('usage-other', { 'p@example.com': 'OWNER' });
    const tok = await cloud.t.db.clientToken.create({
      data: {
        orgId: org.id,
        name: 't',
        tokenHash: 'h'.repeat(64),
        prefix: 'sy_live_t',
        namespaces: [],
      },
    });
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    expect(await recorder.record(other.id, [{ tokenId: tok.id, lastUsedAtMs: t0 }], t0)).toBe(0);
    expect(await recorder.record(org.id, [{ tokenId: tok.id, lastUsedAtMs: String(t0) }], t0)).toBe(
      1,
    );
    expect(
      await recorder.record(org.id, [{ tokenId: tok.id, lastUsedAtMs: t0 + 30_000 }], t0 + 30_000),
    ).toBe(0);
    // A claimed use in the future is clamped to the report's time; garbage is ignored.
    expect(
      await recorder.record(
        org.id,
        [
          { tokenId: tok.id, lastUsedAtMs: t0 + 10 * 60_000 },
          { tokenId: 'x', lastUsedAtMs: 'nope' },
        ],
        t0 + 61_000,
      ),
    ).toBe(1);
    expect(
      (
        await cloud.t.db.clientToken.findUniqueOrThrow({ where: { id: tok.id } })
      ).lastUsedAt?.getTime(),
    ).toBe(t0 + 61_000);

    // An overlapping report naming the same use (the instance re-sent it after its deadline)
    // skips the token without a query: it finishes while the first one is still writing.
    const t1 = t0 + 5 * 60_000;
    const order: string[] = [];
    const first = recorder
      .record(org.id, [{ tokenId: tok.id, lastUsedAtMs: t1 }], t1)
      .then((n) => order.push(`first ${n}`));
    const overlapping = recorder
      .record(org.id, [{ tokenId: tok.id, lastUsedAtMs: t1 }], t1)
      .then((n) => order.push(`overlapping ${n}`));
    await Promise.all([first, overlapping]);
    expect(order).toEqual(['overlapping 0', 'first 1']);
  });
});
