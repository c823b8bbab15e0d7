/**
 * F-instance: an instance process is SIGKILLed and the local driver brings it back on the same
 * ports (the edge URL answers again). F8: the control plane stops; instances keep answering valid
 * tokens and keep refusing tokens revoked before the outage, even after an instance restart (it
 * boots from its cached configuration and snapshots) and an edge restart (persisted routes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsYaml, startCloud, until, type Cloud } from './cloud.js';

let cloud: Cloud;
const repos: Array<{ cleanup(): Promise<void> }> = [];
let closeApp: () => Promise<void>;
beforeAll(async () => {
  cloud = await startCloud();
  // The app is closed mid-test (the outage); make the harness's second close a no-op.
  const close = cloud.t.app.close.bind(cloud.t.app);
  let closing: Promise<void> | undefined;
  closeApp = () => (closing ??= close());
  cloud.t.app.close = closeApp;
}, 120_000);
afterAll(async () => {
  for (const r of repos) await r.cleanup();
  await cloud?.close();
});

async function evaluate(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/evaluate/v1/boolean`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ namespaceKey: 'default', flagKey: 'banner', entityId: 'u1' }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('instance and control-plane faults', () => {
  it('a killed instance comes back; with the control plane down valid tokens work and revoked ones stay revoked', async () => {
    const org = await cloud.createOrg('faults');
    const inst = await cloud.waitInstance(org.id);
    const repo = await cloud.repo('faults-flags');
    repos.push(repo);
    await repo.commitFiles({ 'default/features.yaml': flagsYaml(true) }, 'flags');
    const gitRepo = await cloud.t.db.gitRepository.create({
      data: { orgId: org.id, name: 'flags', url: `${cloud.git.url}/faults-flags.git` },
    });
    const env = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/environments`,
      body: { key: 'prod', name: 'Prod', repositoryId: gitRepo.id },
    });
    const url = env.json.urls.rest as string;
    const mint = async (name: string) =>
      (
        await cloud.t.call(org.owner, {
          method: 'POST',
          url: `/api/v1/orgs/${org.slug}/client-tokens`,
          body: { name, environments: ['prod'] },
        })
      ).json as { id: string; token: string };
    const valid = await mint('valid');
    const doomed = await mint('doomed');
    await until(
      'both tokens work',
      async () =>
        (await evaluate(url, valid.token)) === 200 && (await evaluate(url, doomed.token)) === 200,
    );
    await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/client-tokens/${doomed.id}/revoke`,
    });
    await until(
      'revoked token refused',
      async () => (await evaluate(url, doomed.token)) === 401,
      5_000,
    );

    // Kill the instance process: the driver restarts it on the same ports.
    const state = () =>
      JSON.parse(readFileSync(join(cloud.instanceDir, inst.id, 'instance.json'), 'utf8')) as {
        pid: number;
        httpPort: number;
      };
    const before = state();
    process.kill(before.pid, 'SIGKILL');
    const killedAt = Date.now();
    await until('instance restarted', () => state().pid !== before.pid, 10_000);
    await until(
      'answers again after the kill',
      async () => (await evaluate(url, valid.token)) === 200,
      10_000,
    );
    process.stderr.write(
      `instance killed: answering again through the edge after ${Date.now() - killedAt} ms\n`,
    );
    expect(state().httpPort).toBe(before.httpPort);

    // The control plane goes down (HTTP API and internal gRPC).
    await closeApp();
    for (let i = 0; i < 20; i++) {
      expect(await evaluate(url, valid.token)).toBe(200);
      expect(await evaluate(url, doomed.token)).toBe(401);
    }
    // An instance restart during the outage boots from its cached configuration and snapshot.
    const during = state();
    process.kill(during.pid, 'SIGKILL');
    await until('restarted during the outage', () => state().pid !== during.pid, 10_000);
    await until(
      'answers during the outage',
      async () => (await evaluate(url, valid.token)) === 200,
      15_000,
    );
    expect(await evaluate(url, doomed.token)).toBe(401);
    expect(await evaluate(url, 'sy_live_never-issued')).toBe(401);
    // So does an edge restart: it loads the persisted route table.
    await cloud.stopEdge();
    await cloud.startEdge();
    expect(await evaluate(url, valid.token)).toBe(200);
    expect(await evaluate(url, doomed.token)).toBe(401);
  }, 90_000);
});
