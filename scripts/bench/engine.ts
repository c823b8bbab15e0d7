// Engine benchmarks: our engine against Flipt's WASM client engine on the same snapshot and
// requests in this process, and compile time / heap for 10,000 flags.
import {
  compileEnvironment,
  evaluateBoolean,
  evaluateVariant,
  loadEnvironment,
  toClientSnapshot,
} from '@switchyard/flags';
import type { EnvironmentSnapshot, EvaluationRequest } from '@switchyard/flags';
import { generateNamespace, generateRequests } from '../../libs/flags/test/support/generate.js';
import { fliptWasmClient } from '../../libs/flags/test/support/flipt-wasm.js';
import { sha1Digest } from '../../libs/flags/test/support/digest.js';

const print = (name: string, value: number, unit: string) =>
  process.stdout.write(`bench ${name} ${value.toFixed(value >= 100 ? 0 : 2)} ${unit}\n`);

function opsPerSecond(run: () => void, minMs = 1500): number {
  run(); // warm-up
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    run();
    ops++;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

async function engineVsWasm(): Promise<void> {
  const ns = generateNamespace(1, 100);
  const snapshot: EnvironmentSnapshot = compileEnvironment(
    { namespaces: [ns] },
    { revision: 'bench', digest: sha1Digest },
  );
  const types = new Map(ns.flags.map((f) => [f.key, f.type]));
  const requests: EvaluationRequest[] = generateRequests(2, ns, 2000);
  const client = await fliptWasmClient(toClientSnapshot(snapshot.namespaces.get('default')!));
  const ours = () => {
    for (const r of requests)
      (types.get(r.flagKey) === 'BOOLEAN_FLAG_TYPE' ? evaluateBoolean : evaluateVariant)(
        snapshot,
        r,
      );
  };
  const wasmRequests = requests.map((r) => ({
    flagKey: r.flagKey,
    entityId: r.entityId,
    context: { ...r.context },
  }));
  const theirs = () => {
    for (const r of wasmRequests) {
      if (types.get(r.flagKey) === 'BOOLEAN_FLAG_TYPE') client.evaluateBoolean(r);
      else client.evaluateVariant(r);
    }
  };
  const a = opsPerSecond(ours) * requests.length;
  const b = opsPerSecond(theirs) * requests.length;
  client.close?.();
  print('engine-evaluations-per-second', a, 'ops/s');
  print('flipt-wasm-evaluations-per-second', b, 'ops/s');
  print('engine-vs-flipt-wasm', a / b, 'x');
}

function compile10k(): void {
  const ns = generateNamespace(3, 10_000, 200);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const snap = compileEnvironment({ namespaces: [ns] }, { revision: 'bench', digest: sha1Digest });
  const ms = performance.now() - start;
  const heap = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  if (snap.namespaces.get('default')!.compiled.size !== 10_000)
    throw new Error('compile lost flags');
  print('compile-10k-flags', ms, 'ms');
  print('compile-10k-flags-heap', heap, 'MB');
}

/** A valid 10,000-flag environment as YAML (three namespaces), the way it would sit in git. */
function yaml10k(): Map<string, string> {
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
    const count = n === 2 ? 3334 : 3333;
    for (let f = 0; f < count; f++) {
      if (f % 2 === 0) {
        lines.push(
          `  - key: flag-${f}`,
          `    name: Flag ${f}`,
          '    type: VARIANT_FLAG_TYPE',
          '    enabled: true',
          '    variants:',
          '      - key: a',
          '        attachment: {color: red}',
          '      - key: b',
          '    rules:',
          `      - segment: seg-${f % 50}`,
          '        distributions:',
          '          - variant: a',
          '            rollout: 50',
          '          - variant: b',
          '            rollout: 50',
        );
      } else {
        lines.push(
          `  - key: flag-${f}`,
          `    name: Flag ${f}`,
          '    type: BOOLEAN_FLAG_TYPE',
          '    enabled: false',
          '    rollouts:',
          '      - segment:',
          `          key: seg-${f % 50}`,
          '          value: true',
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

function loadAndCompile10k(): void {
  const files = yaml10k();
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const loaded = loadEnvironment(files);
  if (!loaded.ok) throw new Error(`bench fixture invalid: ${loaded.errors[0]?.message}`);
  const snap = compileEnvironment(loaded.environment, { revision: 'bench', digest: sha1Digest });
  const ms = performance.now() - start;
  const heap = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  const flags = [...snap.namespaces.values()].reduce((n, ns) => n + ns.compiled.size, 0);
  if (flags !== 10_000) throw new Error(`expected 10000 flags, got ${flags}`);
  print('load-and-compile-10k-flags', ms, 'ms');
  print('load-and-compile-10k-flags-heap', heap, 'MB');
}

await engineVsWasm();
compile10k();
loadAndCompile10k();
