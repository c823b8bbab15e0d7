/**
 * One worker, two jobs for the same organisation (`outbox-<id>` from the relay and
 * `reconcile-<orgId>` from the reconciler have different ids, and the worker runs four jobs at
 * once): the two converges must not interleave. The lease does not separate them (its owner is
 * the worker), so before the fix both saw the row "pending", both ran the first-provisioning
 * steps, and the second's "credentials" write could land after the first's "launched" (the
 * worker-kill test then found the row at "credentials" after a kill after "launched").
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDriver } from '../../src/provisioning/drivers/local-driver.js';
import { Provisioner, type ProvisioningStep } from '../../src/provisioning/provisioner.js';
import { startCloud, type Cloud } from './cloud.js';

let cloud: Cloud;
let driver: LocalDriver;
beforeAll(async () => {
  // No worker: this test's provisioner is the only one converging.
  cloud = await startCloud({ inProcessWorker: false, edge: false });
  driver = new LocalDriver(cloud.config.provisioning, pino({ level: 'silent' }));
}, 120_000);
afterAll(async () => {
  await driver?.close({ stopInstances: true });
  await cloud?.close();
});

describe('converging one organisation twice at once in one worker', () => {
  it('runs the converges one after the other: the first-provisioning steps happen once, in order', async () => {
    const steps: ProvisioningStep[] = [];
    const provisioner = new Provisioner(
      cloud.t.db,
      cloud.config,
      driver,
      pino({ level: 'silent' }),
      (step) => steps.push(step),
    );
    const org = await cloud.createOrg('twice');
    const results = await Promise.all([provisioner.converge(org.id), provisioner.converge(org.id)]);
    expect(results).toEqual(['ready', 'ready']);
    expect(steps).toEqual(['credentials', 'launched', 'ready']);
    const row = await cloud.t.db.instance.findUniqueOrThrow({ where: { orgId: org.id } });
    expect(row).toMatchObject({ status: 'ready', step: 'ready', leaseOwner: null });
    expect(await driver.list()).toHaveLength(1);
  }, 60_000);
});
