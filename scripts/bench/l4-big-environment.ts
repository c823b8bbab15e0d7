// L4 of the load matrix: a 10,000-flag environment (about 5 MB of YAML in three files) loaded
// and compiled the way the data plane builds a snapshot, against the full position-tracking
// YAML parser (the path every file took before the fast path) in the same run.
//   bench load-10k-flags-ms <ms> ms          load + compile, fast path (median of the rounds)
//   bench load-10k-flags-cpu-ms <ms> ms      its CPU time (less disturbed by a busy machine)
//   bench load-10k-flags-mb <MB> MB          heap allocated by one load + compile (median)
//   bench load-10k-flags-exact-ms <ms> ms    the same with the full parser only (baseline)
//   bench load-10k-flags-exact-mb <MB> MB    its heap
//   bench load-10k-flags-vs-exact <x> x      baseline time ÷ fast time (> 1 is faster)
// Rounds alternate between the two paths (short profile: 1 round, `--long`: 5); every round is
// printed on stderr with its CPU time, which a busy machine disturbs less than wall time.
import {
  compileEnvironment,
  loadEnvironment,
  parseFeatureFile,
  type FeatureFileParser,
} from '@switchyard/flags';
import { sha1Digest } from '../../libs/flags/test/support/digest.js';

const LONG = process.argv.includes('--long');
const ROUNDS = LONG ? 5 : 1;
const FLAGS = 10_000;

const print = (name: string, value: number, unit: string) =>
  process.stdout.write(`bench ${name} ${value.toFixed(value >= 100 ? 0 : 2)} ${unit}\n`);

/** Three namespaces of segments and flags, as a team would write them by hand. */
function environment(): Map<string, string> {
  const files = new Map<string, string>();
  for (let n = 0; n < 3; n++) {
    const lines = ['version: "1.4"', `namespace: ns${n}`, 'segments:'];
    for (let s = 0; s < 50; s++)
      lines.push(
        `  - key: seg-${s}`,
        `    name: Segment ${s}`,
        '    match_type: ALL_MATCH_TYPE',
        '    constraints:',
        '      - type: STRING_COMPARISON_TYPE',
        '        property: country',
        '        operator: eq',
        `        value: c${s}`,
        '      - type: NUMBER_COMPARISON_TYPE',
        '        property: age',
        '        operator: gte',
        `        value: "${s}"`,
      );
    lines.push('flags:');
    const count = Math.floor(FLAGS / 3) + (n < FLAGS % 3 ? 1 : 0);
    for (let f = 0; f < count; f++) {
      const common = [
        `  - key: flag-${f}`,
        `    name: Flag ${f}`,
        `    description: Turns the ${f % 7 === 0 ? 'new' : 'redesigned'} checkout step ${f} on for customers in the beta programme # owner: team-${f % 13}`,
      ];
      if (f % 2 === 0) {
        lines.push(
          ...common,
          '    type: VARIANT_FLAG_TYPE',
          '    enabled: true',
          '    variants:',
          '      - key: a',
          '        name: Variant A',
          '        attachment: {color: red, size: 12, beta: true}',
          '      - key: b',
          '        name: Variant B',
          '    rules:',
          `      - segment: seg-${f % 50}`,
          '        distributions:',
          '          - variant: a',
          '            rollout: 50',
          '          - variant: b',
          '            rollout: 50',
          `      - segment: seg-${(f + 1) % 50}`,
          '        distributions:',
          '          - variant: b',
          '            rollout: 100',
        );
      } else {
        lines.push(
          ...common,
          '    type: BOOLEAN_FLAG_TYPE',
          '    enabled: false',
          '    rollouts:',
          '      - segment:',
          `          key: seg-${f % 50}`,
          '          value: true',
          '      - segment:',
          `          keys: [seg-${(f + 1) % 50}, seg-${(f + 2) % 50}]`,
          '          operator: AND_SEGMENT_OPERATOR',
          '          value: false',
          '      - threshold:',
          '          percentage: 25',
          '          value: true',
        );
      }
    }
    files.set(`ns${n}/features.yaml`, lines.join('\n') + '\n');
  }
  return files;
}

const exact: FeatureFileParser = (path, content, limits) =>
  parseFeatureFile(path, content, limits, { exact: true });

function round(files: Map<string, string>, parseFile?: FeatureFileParser) {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const loaded = loadEnvironment(files, { parseFile });
  if (!loaded.ok) throw new Error(`bench fixture invalid: ${loaded.errors[0]?.message}`);
  const snap = compileEnvironment(loaded.environment, { revision: 'bench', digest: sha1Digest });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const mb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  const flags = [...snap.namespaces.values()].reduce((n, ns) => n + ns.compiled.size, 0);
  if (flags !== FLAGS) throw new Error(`expected ${FLAGS} flags, got ${flags}`);
  return { ms, mb, cpuMs };
}

type Round = ReturnType<typeof round>;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const files = environment();
const bytes = [...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
round(files); // warm-up: the first round also pays for compiling the loader's code
const fast: Round[] = [];
const slow: Round[] = [];
for (let i = 0; i < ROUNDS; i++) {
  fast.push(round(files));
  slow.push(round(files, exact));
}
const fmt = (rs: Round[]) =>
  rs
    .map((r) => `${r.ms.toFixed(0)} ms (cpu ${r.cpuMs.toFixed(0)} ms)/${r.mb.toFixed(0)} MB`)
    .join(', ');
process.stderr.write(
  `# ${(bytes / 1e6).toFixed(1)} MB of YAML, ${FLAGS} flags; fast: ${fmt(fast)}; exact: ${fmt(slow)}\n`,
);
const fastMs = median(fast.map((r) => r.ms));
const slowMs = median(slow.map((r) => r.ms));
print('load-10k-flags-ms', fastMs, 'ms');
print('load-10k-flags-cpu-ms', median(fast.map((r) => r.cpuMs)), 'ms');
print('load-10k-flags-mb', median(fast.map((r) => r.mb)), 'MB');
print('load-10k-flags-exact-ms', slowMs, 'ms');
print('load-10k-flags-exact-mb', median(slow.map((r) => r.mb)), 'MB');
print('load-10k-flags-vs-exact', slowMs / fastMs, 'x');
