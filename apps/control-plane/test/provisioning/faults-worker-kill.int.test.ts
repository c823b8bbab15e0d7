/**
 * F4: the worker is SIGKILLed right after each provisioning step (credentials stored, instance
 * launched, marked ready). A fresh worker recovers the stalled job (short lockDuration and
 * stalledInterval) or the reconciler re-enqueues it, adopts the running instance instead of
 * starting another, and exactly one instance process and one instance row result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startChild, startCloud, type Cloud } from './cloud.js';

/** Live processes whose command line names `instanceId` (zombies excluded). */
function processesOf(instanceId: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(instanceId) &&
          !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const WORKER = `${ROOT}apps/control-plane/dist/worker.js`;
let cloud: Cloud;
beforeAll(async () => {
  cloud = await startCloud({ inProcessWorker: false, edge: false });
}, 180_000);
afterAll(async () => {
  await cloud?.close();
});

function exited(child: ChildProcess): Promise<string | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.signalCode)
    : new Promise((r) => child.once('exit', (_c, s) => r(s)));
}

describe('worker killed at every provisioning step', () => {
  // The kill after "launched" used to fail in full runs: the relay's job and the reconciler's job
  // for the same organisation converged at once in the crashing worker, and the second's
  // "credentials" write landed after the first's "launched" (converge-serial.int.test.ts).
  for (const step of ['credentials', 'launched', 'ready'] as const) {
    it(`after "${step}": exactly one instance results`, async () => {
      const crashing = startChild(WORKER, { ...cloud.workerEnv, PROVISIONING_CRASH_AFTER: step });
      const org = await cloud.createOrg(`kill-${step}`);
      const signal = await Promise.race([
        exited(crashing),
        // Generous: a worker's start and first converge take ~3 s alone, 20 s+ on a loaded machine;
        // this test is about exactly one instance, not about speed.
        new Promise((r) => setTimeout(() => r('timeout'), 60_000)),
      ]);
      expect(signal, crashing.output()).toBe('SIGKILL');
      const row = await cloud.t.db.instance.findUniqueOrThrow({ where: { orgId: org.id } });
      expect(row.step, crashing.output()).toBe(step);

      const started = Date.now();
      const healthy = startChild(WORKER, cloud.workerEnv);
      try {
        const inst = await cloud.waitInstance(org.id, ['ready'], 60_000);
        // Give a duplicate the chance to appear before counting.
        await new Promise((r) => setTimeout(r, 1_500));
        expect(processesOf(inst.id)).toHaveLength(1);
        expect(await cloud.t.db.instance.count({ where: { orgId: org.id } })).toBe(1);
        const dirs = readdirSync(cloud.instanceDir).filter((d) => d === inst.id);
        expect(dirs).toHaveLength(1);
        const res = await fetch(`${inst.endpoint}/health`);
        expect(res.status).toBe(200);
        process.stderr.write(
          `worker killed after ${step}: recovered to ready in ${Date.now() - started} ms\n`,
        );
      } finally {
        healthy.kill('SIGTERM');
        await exited(healthy);
        // Each step starts from a clean slate: the next crashing worker must find no other
        // organisation to converge (its crash would then land on that one's steps, not this one's).
        for (const pid of processesOf(row.id)) process.kill(pid, 'SIGKILL');
        await cloud.t.db.organisation.delete({ where: { id: org.id } });
      }
    }, 150_000);
  }
});
