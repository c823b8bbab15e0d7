// L7 of the load matrix: a provisioning burst. The control plane, the worker (local driver) and a
// fresh database; N organisations are created through the API (ten requests at a time), then
// the benchmark waits until every instance is ready and the provisioning queue has drained.
//   bench l7-orgs-<N>-created <s> s        the N POST /orgs answered (the matrix: within 60 s)
//   bench l7-orgs-<N>-ready <s> s          first POST → every instance `ready` in the database
//   bench l7-instances <n> count           live data-plane processes of the driver (must be N)
//   bench l7-instances-db <n> count        instance rows `ready` in the database (must be N)
//   bench l7-duplicates <n> count          second processes for one instance, rows sharing an
//                                          org or an endpoint, processes of no row (must be 0)
//   bench l7-create-errors <n> count       POST /orgs answers other than 201
//   bench l7-queue-backlog <n> count       outbox events and provisioning jobs left, besides the
//                                          reconciler's periodic ones (must be 0)
//   bench l7-failed-jobs <n> count         jobs that failed for good (must be 0)
// Counted again after a few reconcile rounds, so a late second start would show.
// Short profile: 20 organisations; `--long`: the matrix's 200. BENCH_L7_ORGS overrides N.
import { startStack, sleep, until } from './control-plane-lib/stack.mjs';

const LONG = process.argv.includes('--long');
const N = Number(process.env.BENCH_L7_ORGS ?? (LONG ? 200 : 20));
const CONCURRENCY = 10;
const RECONCILE_MS = 5_000;

const stack = await startStack({
  instances: N,
  env: { RECONCILE_INTERVAL_MS: String(RECONCILE_MS) },
});
const { db, api } = stack;
const count = async (sql) => Number((await db.query(sql)).rows[0].n);
try {
  const t0 = performance.now();
  let next = 0;
  let createErrors = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < N; i = next++) {
        const r = await api('POST', '/orgs', { slug: `l7-org-${i}`, name: `L7 org ${i}` });
        if (r.status !== 201) {
          createErrors++;
          process.stderr.write(`# POST /orgs ${i}: ${r.status} ${JSON.stringify(r.json)}\n`);
        }
      }
    }),
  );
  const created = (performance.now() - t0) / 1000;
  await until(
    `${N} instances ready`,
    async () => (await count("select count(*)::int n from instances where status = 'ready'")) >= N,
    LONG ? 900_000 : 180_000,
    250,
  );
  const ready = (performance.now() - t0) / 1000;
  const drained = async () =>
    (await stack.queueBacklog()).left +
    (await count('select count(*)::int n from outbox_events where "processedAt" is null'));
  await until('the queue to drain', async () => (await drained()) === 0, 60_000, 250).catch(
    () => undefined,
  );
  // A few reconcile rounds: a duplicate start or a lost instance would show now.
  await sleep(RECONCILE_MS * 2 + 500);

  const procs = stack.instanceProcesses();
  const rows = (await db.query('select id, "orgId", status, endpoint from instances')).rows;
  const readyRows = rows.filter((r) => r.status === 'ready');
  const ids = new Set(rows.map((r) => r.id));
  const duplicates =
    procs.length -
    new Set(procs.map((p) => p.instanceId)).size +
    (rows.length - new Set(rows.map((r) => r.orgId)).size) +
    (rows.length - new Set(rows.map((r) => r.endpoint)).size) +
    procs.filter((p) => !ids.has(p.instanceId)).length;
  const backlog = await drained();
  const { names, failed } = await stack.queueBacklog();
  if (names.length) process.stderr.write(`# jobs left: ${names.join(', ')}\n`);
  const orgs = await count("select count(*)::int n from organisations where slug like 'l7-org-%'");
  process.stderr.write(
    `# ${orgs} organisations, ${rows.length} instance rows (${readyRows.length} ready), ${procs.length} processes, ${stack.instanceStates().length} driver states\n`,
  );
  const line = (name, value, unit) => process.stdout.write(`bench ${name} ${value} ${unit}\n`);
  line(`l7-orgs-${N}-created`, created.toFixed(2), 's');
  line(`l7-orgs-${N}-ready`, ready.toFixed(2), 's');
  line('l7-instances', procs.length, 'count');
  line('l7-instances-db', readyRows.length, 'count');
  line('l7-duplicates', duplicates, 'count');
  line('l7-create-errors', createErrors, 'count');
  line('l7-queue-backlog', backlog, 'count');
  line('l7-failed-jobs', failed, 'count');
} finally {
  await stack.stop();
}
