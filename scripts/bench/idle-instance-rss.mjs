// Resident memory of idle data-plane instances started with the local driver's V8 flags, against
// the same instances on Node's defaults, in the same run (standalone instances serving the test
// fixture: what an organisation instance runs, without a control plane to talk to).
//   bench idle-instance-rss-mb <MB> MB           mean RSS of one idle instance, driver flags
//   bench idle-instance-rss-default-mb <MB> MB   the same on Node's defaults (baseline)
//   bench idle-instance-rss-vs-default <x> x     driver flags ÷ defaults (< 1 is lighter)
//   bench idle-instances-50-rss-mb <MB> MB       50 instances' summed RSS (measured with --long, else 50 × mean)
//   bench idle-instance-private-mb <MB> MB       memory of one instance that no other process shares
//   bench idle-instances-50-memory-mb <MB> MB    50 × private + the shared pages once (what the machine holds)
// Short profile: 4 instances of each kind; `--long`: 50 with the driver flags and 10 on defaults.
// Both kinds run side by side and are measured after the same idle time, so the machine's load
// affects them alike; every instance's RSS is printed on stderr.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTANCE_NODE_FLAGS } from '../../apps/control-plane/dist/provisioning/drivers/local-process.js';
import { startJsonProcess, stop } from './data-plane-lib/processes.mjs';

const LONG = process.argv.includes('--long');
const TUNED = LONG ? 50 : 4;
const DEFAULT = LONG ? 10 : 4;
const IDLE_MS = 2_000;
const dir = mkdtempSync(join(tmpdir(), 'sy-bench-idle-'));
const children = [];

function start(flags, i) {
  return startJsonProcess(
    [
      ...flags,
      'apps/data-plane/dist/cli.js',
      'serve',
      '--dir',
      'apps/data-plane/test/fixtures/flags',
      '--token',
      'bench-token',
      '--host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--grpc-port',
      '0',
      '--data-dir',
      join(dir, String(i)),
    ],
    (j) => j.msg === 'first sync done' || j.msg === 'listening',
    120_000,
  ).then(async (r) => {
    children.push(r.child);
    for (let t = 0; t < 400; t++) {
      const ok = await fetch(`http://127.0.0.1:${r.info.httpPort}/ready`).then(
        (x) => x.ok,
        () => false,
      );
      if (ok) return r.child;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('instance never became ready');
  });
}

/** RSS, and the part of it no other process shares (anonymous memory: heap, stacks, malloc), in MB. */
function memoryMb(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
  return {
    rss: field('Rss'),
    private: field('Private_Clean') + field('Private_Dirty'),
    shared: field('Shared_Clean') + field('Shared_Dirty'),
  };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

try {
  // Started a few at a time: fifty at once on two cores would only measure the start-up queue.
  const tuned = [];
  const plain = [];
  for (let i = 0; i < Math.max(TUNED, DEFAULT); i += 4) {
    const batch = [];
    for (let j = i; j < Math.min(i + 4, TUNED); j++)
      batch.push(start(INSTANCE_NODE_FLAGS, `t${j}`).then((c) => tuned.push(c)));
    for (let j = i; j < Math.min(i + 4, DEFAULT); j++)
      batch.push(start([], `d${j}`).then((c) => plain.push(c)));
    await Promise.all(batch);
  }
  await new Promise((res) => setTimeout(res, IDLE_MS));
  const tunedMem = tuned.map((c) => memoryMb(c.pid));
  const a = tunedMem.map((m) => m.rss);
  const b = plain.map((c) => memoryMb(c.pid).rss);
  const priv = tunedMem.map((m) => m.private);
  const shared = Math.max(...tunedMem.map((m) => m.shared));
  const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
  process.stderr.write(
    `# driver flags ${INSTANCE_NODE_FLAGS.join(' ')}: RSS ${fmt(a)} MB (private ${fmt(priv)}, shared up to ${shared.toFixed(0)}); defaults: RSS ${fmt(b)} MB\n`,
  );
  const line = (name, value, unit) =>
    process.stdout.write(`bench ${name} ${value.toFixed(value >= 100 ? 0 : 2)} ${unit}\n`);
  line('idle-instance-rss-mb', mean(a), 'MB');
  line('idle-instance-rss-default-mb', mean(b), 'MB');
  line('idle-instance-rss-vs-default', mean(a) / mean(b), 'x');
  line('idle-instances-50-rss-mb', LONG ? a.reduce((x, y) => x + y, 0) : 50 * mean(a), 'MB');
  // Summed RSS counts the node binary's pages (shared, read-only) once per process; the machine
  // holds them once. What 50 instances cost: their private memory plus one copy of the shared.
  line('idle-instance-private-mb', mean(priv), 'MB');
  line(
    'idle-instances-50-memory-mb',
    (LONG ? priv.reduce((x, y) => x + y, 0) : 50 * mean(priv)) + shared,
    'MB',
  );
} finally {
  await Promise.all(children.map((c) => stop(c)));
  rmSync(dir, { recursive: true, force: true });
}
