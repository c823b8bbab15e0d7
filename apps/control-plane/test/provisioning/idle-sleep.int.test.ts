/**
 * Idle sleep end to end, with the real worker, edge and instance processes: an instance that
 * served nothing for INSTANCE_IDLE_SLEEP stops (status `sleeping`, no process, supervision leaves
 * it down, the reconciler leaves it asleep); the next request through its environment URL (REST
 * over HTTP/1.1, or gRPC over h2c) is held by the edge, wakes it and is answered; concurrent
 * requests wake one process; a token revoked and an edit committed while it slept are both in
 * force in the first answers after the wake; deleting the organisation removes a sleeping instance.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { evaluationContract } from '@switchyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readState } from '../../src/provisioning/drivers/local-process.js';
import { sleep, startCloud, until, type Cloud } from './cloud.js';

const DOMAIN = 'flags.test';
let cloud: Cloud;
beforeAll(async () => {
  // A short idle time so the test sees instances fall asleep (long enough that a loaded machine
  // forwards the held requests before the instance could count as idle again).
  cloud = await startCloud({
    listen: true,
    evalDomain: DOMAIN,
    env: { INSTANCE_IDLE_SLEEP: '3s' },
  });
  await cloud.worker!.listening;
}, 120_000);
afterAll(async () => {
  await cloud?.close();
});

/** Waits (generously: the machine may be loaded) for the org's instance to sleep. */
async function asleep(orgId: string) {
  try {
    return await cloud.waitInstance(orgId, ['sleeping'], 60_000);
  } catch (e) {
    const row = await cloud.t.db.instance.findUnique({ where: { orgId } });
    throw new Error(`${String(e)}; now ${new Date().toISOString()}: ${JSON.stringify(row)}`, {
      cause: e,
    });
  }
}

/** Live processes whose command line names `instanceId` (the instance's own processes). */
function processesOf(instanceId: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return cmd.includes(instanceId) && cmd.includes('serve') && !/\) Z /.test(stat);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function evaluate(
  url: string,
  token: string,
): Promise<{ status: number; enabled?: boolean }> {
  const res = await fetch(`${url}/evaluate/v1/boolean`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ namespaceKey: 'default', flagKey: 'checkout', entityId: 'u1' }),
  });
  const body = (await res.json()) as { enabled?: boolean };
  return { status: res.status, enabled: body.enabled };
}

/** gRPC Boolean through the edge in host form (`:authority` names org and environment). */
function grpcBoolean(edgeUrl: string, host: string, token: string): Promise<boolean> {
  const client = new (evaluationContract().EvaluationService)(
    new URL(edgeUrl).host,
    grpc.credentials.createInsecure(),
    { 'grpc.default_authority': host },
  ) as unknown as grpc.Client & {
    Boolean: (
      r: unknown,
      md: grpc.Metadata,
      o: grpc.CallOptions,
      cb: (e: grpc.ServiceError | null, r: { enabled: boolean }) => void,
    ) => void;
  };
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return new Promise<boolean>((resolve, reject) =>
    client.Boolean(
      { namespaceKey: 'default', flagKey: 'checkout', entityId: 'u1' },
      md,
      { deadline: Date.now() + 20_000 },
      (e, r) => (e ? reject(e) : resolve(r.enabled)),
    ),
  ).finally(() => client.close());
}

describe('idle instances sleep and the edge wakes them', () => {
  it('sleeps when idle, wakes on the next request (one process), with edits and revocations made while asleep in force', async () => {
    const org = await cloud.createOrg('sleepy');
    const inst = await cloud.waitInstance(org.id);
    const env = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/environments`,
      body: { key: 'prod', name: 'Prod' },
    });
    expect(env.status).toBe(201);
    // Path form (host form needs DNS; gRPC below uses host form through its :authority).
    const url = `${cloud.edgeUrl}/e/${org.slug}/prod`;
    const mint = async (name: string) =>
      (
        await cloud.t.call(org.owner, {
          method: 'POST',
          url: `/api/v1/orgs/${org.slug}/client-tokens`,
          body: { name, environments: ['prod'] },
        })
      ).json as { id: string; token: string };
    const kept = await mint('kept');
    const doomed = await mint('doomed');
    const flags = `/api/v1/orgs/${org.slug}/environments/prod/namespaces/default/flags`;
    let etag = (await cloud.t.call(org.owner, { method: 'GET', url: flags })).headers[
      'etag'
    ] as string;
    const put = async (enabled: boolean) => {
      const res = await cloud.t.call(org.owner, {
        method: 'PUT',
        url: `${flags}/checkout`,
        headers: { 'if-match': etag },
        body: { key: 'checkout', name: 'Checkout', type: 'BOOLEAN_FLAG_TYPE', enabled },
      });
      expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
      etag = res.headers['etag'] as string;
    };
    await put(true);
    await until(
      'both tokens evaluate checkout=true',
      async () =>
        (await evaluate(url, kept.token)).enabled === true &&
        (await evaluate(url, doomed.token)).enabled === true,
      30_000,
    );

    // Idle: no request for 3 s → asleep, no process, and it stays down (no supervisor restart,
    // no reconciler converge: RECONCILE_INTERVAL_MS is 2 s in the cloud).
    const slept = await asleep(org.id);
    expect(slept.status).toBe('sleeping');
    await until('process gone', () => processesOf(inst.id).length === 0, 10_000);
    await sleep(3_000);
    expect(processesOf(inst.id)).toEqual([]);
    expect((await cloud.t.db.instance.findUniqueOrThrow({ where: { id: inst.id } })).status).toBe(
      'sleeping',
    );
    const view = await cloud.t.call(org.owner, {
      method: 'GET',
      url: `/api/v1/orgs/${org.slug}/instance`,
    });
    expect(view.json).toMatchObject({ status: 'sleeping' });
    expect(view.json.summary).toMatch(/Asleep/);
    const pidBefore = readState(cloud.instanceDir, inst.id)!.pid;

    // While it sleeps: revoke one token and commit an edit.
    const revoked = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/client-tokens/${doomed.id}/revoke`,
    });
    expect(revoked.status).toBeLessThan(300);
    await put(false);

    // The first requests after the wake, many at once: all answered, by one new process, with
    // the edit served and the revoked token refused.
    const wakeAsked = Date.now();
    const first = await Promise.all([
      ...Array.from({ length: 12 }, () => evaluate(url, kept.token)),
      evaluate(url, doomed.token),
    ]);
    expect(first.slice(0, 12)).toEqual(Array(12).fill({ status: 200, enabled: false }));
    expect(first[12]!.status).toBe(401);
    const pids = processesOf(inst.id);
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(pidBefore);
    expect(readState(cloud.instanceDir, inst.id)!.pid).toBe(pids[0]);
    // The wake is recorded: awake, active since the wake. On a loaded machine the checks above can
    // outlast the 3 s idle time, and then it is rightly asleep again (idle since the wake).
    const woken = await cloud.t.db.instance.findUniqueOrThrow({ where: { id: inst.id } });
    expect(woken.lastActiveAt!.getTime()).toBeGreaterThanOrEqual(wakeAsked - 1_000);
    if (Date.now() - woken.lastActiveAt!.getTime() < 3_000)
      expect(woken.status).toMatch(/^(ready|degraded)$/);

    // Asleep again; this time gRPC over h2c wakes it.
    await asleep(org.id);
    await until('process gone again', () => processesOf(inst.id).length === 0, 10_000);
    const viaGrpc = await grpcBoolean(
      cloud.edgeUrl,
      `prod.${org.slug}.${DOMAIN}`,
      kept.token,
    ).catch(async (e: unknown) => {
      const row = await cloud.t.db.instance.findUnique({ where: { id: inst.id } });
      throw new Error(
        `${String(e)}\n${cloud.edgeOutput()}\n${JSON.stringify(row)}\n${readFileSync(join(cloud.instanceDir, inst.id, 'instance.json'), 'utf8')}\n${readFileSync(join(cloud.instanceDir, inst.id, 'instance.log'), 'utf8').slice(-3000)}`,
      );
    });
    expect(viaGrpc).toBe(false);
    expect(processesOf(inst.id)).toHaveLength(1);

    // Deleting the organisation removes the instance even while it sleeps.
    await asleep(org.id);
    const del = await cloud.t.call(org.owner, {
      method: 'DELETE',
      url: `/api/v1/orgs/${org.slug}`,
      body: { confirm: org.slug },
    });
    expect(del.status, JSON.stringify(del.json)).toBeLessThan(300);
    await until('instance directory removed', () => !readState(cloud.instanceDir, inst.id), 30_000);
    expect(processesOf(inst.id)).toEqual([]);
  }, 180_000);

  it('an unknown organisation is 404 at once; a wake that cannot happen is a 503 with Retry-After', async () => {
    const unknown = await fetch(`${cloud.edgeUrl}/e/nobody/prod/evaluate/v1/boolean`, {
      method: 'POST',
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();

    const org = await cloud.createOrg('insomniac');
    const inst = await cloud.waitInstance(org.id);
    const env = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/environments`,
      body: { key: 'prod', name: 'Prod' },
    });
    expect(env.status).toBe(201);
    const url = `${cloud.edgeUrl}/e/${org.slug}/prod`;
    await asleep(org.id);
    // No worker is left to wake it (stopped last in this file, after it finished the sleep): the
    // held request says so at once.
    await cloud.worker!.close();
    const state = JSON.parse(
      readFileSync(join(cloud.instanceDir, inst.id, 'instance.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(state['sleeping']).toBe(true);
    expect(processesOf(inst.id)).toEqual([]);
    const res = await fetch(`${url}/evaluate/v1/boolean`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(((await res.json()) as { message: string }).message).toMatch(/waking/);
  }, 120_000);
});
