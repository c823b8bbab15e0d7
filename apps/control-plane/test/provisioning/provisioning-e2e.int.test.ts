/**
 * End to end through real processes: an organisation created through the API gets its own
 * data-plane instance (a child process of the switchyard binary); an environment on a git repo
 * served over smart HTTP and a client token created through the API are evaluated through the
 * edge URL with Flipt's REST SDK and the client-side WASM SDK; a pushed change announced to the
 * control plane is served within a second; a revoked token stops working within seconds.
 */
import { ClientTokenAuthentication, FliptClient as FliptRest } from '@flipt-io/flipt';
import { FliptClient as FliptWasm } from '@flipt-io/flipt-client-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeEvents } from '../../src/events/change-events.js';
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

describe('provisioning end to end', () => {
  it('org → ready instance → environment URL answers SDKs → edits and revocations reach it', async () => {
    const started = Date.now();
    const org = await cloud.createOrg('acme-e2e');
    const inst = await cloud.waitInstance(org.id);
    const provisionMs = Date.now() - started;
    expect(inst.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const repo = await cloud.repo('acme-flags');
    repos.push(repo);
    await repo.commitFiles({ 'default/features.yaml': flagsYaml(false) }, 'initial flags');
    // Arranged directly: the public API accepts only https:// remotes; the test server is http.
    const gitRepo = await cloud.t.db.gitRepository.create({
      data: { orgId: org.id, name: 'flags', url: `${cloud.git.url}/acme-flags.git` },
    });
    const env = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/environments`,
      body: { key: 'production', name: 'Production', repositoryId: gitRepo.id },
    });
    expect(env.status).toBe(201);
    expect(env.json.urls.rest).toBe(`${cloud.edgeUrl}/e/${org.slug}/production`);
    expect(env.json.urls.ofrep).toBe(`${cloud.edgeUrl}/e/${org.slug}/production`);
    const tok = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/client-tokens`,
      body: { name: 'sdk', environments: ['production'] },
    });
    expect(tok.status).toBe(201);
    const token = tok.json.token as string;

    const rest = new FliptRest({
      url: env.json.urls.rest as string,
      authenticationStrategy: new ClientTokenAuthentication(token),
    });
    const banner = async () =>
      (
        await rest.evaluation.boolean({
          namespaceKey: 'default',
          flagKey: 'banner',
          entityId: 'user-1',
          context: {},
        })
      ).enabled;
    expect(
      await until(
        'first evaluation through the edge',
        async () => (await banner()) === false,
        20_000,
      ),
    ).toBe(true);
    const listed = await cloud.t.call(org.owner, {
      method: 'GET',
      url: `/api/v1/orgs/${org.slug}/environments/production`,
    });
    expect(listed.json.urls.grpc).toMatch(/^127\.0\.0\.1:\d+$/);

    const wasm = await FliptWasm.init({
      url: env.json.urls.rest as string,
      namespace: 'default',
      environment: 'production',
      authentication: { clientToken: token },
    });
    expect(
      wasm.evaluateBoolean({ flagKey: 'banner', entityId: 'user-1', context: {} }).enabled,
    ).toBe(false);
    expect(
      wasm.evaluateVariant({ flagKey: 'colour', entityId: 'user-1', context: {} }).variantKey,
    ).toBe('blue');

    // An edit: a commit pushed to the environment's branch, announced to the control plane.
    const editStart = Date.now();
    const sha = await repo.commitFiles(
      { 'default/features.yaml': flagsYaml(true, 'green') },
      'turn the banner on',
    );
    cloud.t.app.get(ChangeEvents).environmentChanged({
      orgId: org.id,
      orgSlug: org.slug,
      envKey: 'production',
      revision: sha,
    });
    await until('edit served', async () => (await banner()) === true, 5_000, 10);
    const editMs = Date.now() - editStart;
    await wasm.refresh();
    expect(
      wasm.evaluateBoolean({ flagKey: 'banner', entityId: 'user-1', context: {} }).enabled,
    ).toBe(true);
    expect(
      wasm.evaluateVariant({ flagKey: 'colour', entityId: 'user-1', context: {} }).variantKey,
    ).toBe('green');
    wasm.close();

    // The instance reported the revision it serves.
    await until('revision reported', async () => {
      const row = await cloud.t.db.instance.findUnique({ where: { orgId: org.id } });
      const envs =
        (
          row?.observedState as {
            environments?: Array<{ key: string; revision: string | null }>;
          } | null
        )?.environments ?? [];
      return envs.some((e) => e.key === 'production' && e.revision === sha);
    });

    // Revocation reaches the instance over the watch stream.
    const revokeStart = Date.now();
    const revoked = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/client-tokens/${tok.json.id as string}/revoke`,
    });
    expect(revoked.status).toBe(200);
    await until(
      'revoked token refused',
      async () => {
        const res = await fetch(`${env.json.urls.rest as string}/evaluate/v1/boolean`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ namespaceKey: 'default', flagKey: 'banner', entityId: 'u' }),
        });
        return res.status === 401;
      },
      5_000,
      20,
    );
    const revokeMs = Date.now() - revokeStart;
    process.stderr.write(
      `provisioning e2e: provision-to-ready ${provisionMs} ms, edit-to-evaluable ${editMs} ms, revoke-to-refused ${revokeMs} ms\n`,
    );
    expect(provisionMs).toBeLessThan(5_000);
    expect(editMs).toBeLessThan(1_000);
    expect(revokeMs).toBeLessThan(3_000);
  }, 90_000);
});
