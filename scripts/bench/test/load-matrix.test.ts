/**
 * The load-matrix scripts (L5, L7, L8, L9) at their smallest sizes, on the real processes they
 * start: each must print its `bench <name> <value> <unit>` lines, with exact counts where the run
 * determines them (streams opened, organisations, instances, tokens, swaps), and leave nothing in
 * its temporary directory. No latency or duration is asserted: those are the benchmark's output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

interface Line {
  value: number;
  unit: string;
}

/** Runs a benchmark script with `env`; resolves with its bench lines by name (and fails on a non-zero exit). */
function runBench(script: string, env: Record<string, string>): Promise<Map<string, Line>> {
  dir = mkdtempSync(join(tmpdir(), 'sy-bench-test-'));
  const child = spawn(process.execPath, [join(ROOT, 'scripts/bench', script)], {
    cwd: ROOT,
    env: { ...process.env, ...env, TMPDIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}\n${err}\n${out}`));
      const lines = new Map<string, Line>();
      for (const text of out.split('\n').filter(Boolean)) {
        const m = /^bench (\S+) (-?\d+(?:\.\d+)?) (\S+)$/.exec(text);
        if (!m) return reject(new Error(`${script}: not a bench line: ${JSON.stringify(text)}`));
        lines.set(m[1]!, { value: Number(m[2]), unit: m[3]! });
      }
      resolve(lines);
    });
  });
}

/** The value of `name`, checking its unit. */
function value(lines: Map<string, Line>, name: string, unit: string): number {
  const line = lines.get(name);
  expect(line, `bench ${name}`).toBeDefined();
  expect(line!.unit).toBe(unit);
  return line!.value;
}

/**
 * Whatever the script left behind: entries in its temporary directory, and processes whose
 * command line names it (the control plane's instances run detached and outlive a careless stop).
 */
function leftovers(): string[] {
  const running = readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir!);
      } catch {
        return false;
      }
    })
    .map((pid) => `process ${pid}`);
  return [...readdirSync(dir!), ...running];
}

describe('load matrix scripts', () => {
  it('L5 opens every stream and sees the change reach all of them', async () => {
    const lines = await runBench('l5-stream-fanout.mjs', { BENCH_L5_STREAMS: '50' });
    expect(value(lines, 'l5-streams', 'count')).toBe(50);
    expect(value(lines, 'l5-stream-errors', 'count')).toBe(0);
    expect(value(lines, 'l5-stream-late', 'count')).toBe(0);
    const first = value(lines, 'l5-stream-first', 'ms');
    expect(value(lines, 'l5-stream-fanout-p99', 'ms')).toBeGreaterThanOrEqual(first);
    expect(leftovers()).toEqual([]);
  });

  it('L5 over SSE too', async () => {
    const lines = await runBench('l5-stream-fanout.mjs', {
      BENCH_L5_STREAMS: '20',
      BENCH_L5_SSE: '1',
    });
    expect(value(lines, 'l5-streams', 'count')).toBe(20);
    expect(value(lines, 'l5-stream-late', 'count')).toBe(0);
  });

  it('L7 provisions exactly one instance per organisation and drains the queue', async () => {
    const lines = await runBench('l7-org-burst.mjs', { BENCH_L7_ORGS: '2' });
    expect(value(lines, 'l7-orgs-2-ready', 's')).toBeGreaterThan(0);
    expect(value(lines, 'l7-orgs-2-created', 's')).toBeGreaterThan(0);
    expect(value(lines, 'l7-instances', 'count')).toBe(2);
    expect(value(lines, 'l7-instances-db', 'count')).toBe(2);
    expect(value(lines, 'l7-duplicates', 'count')).toBe(0);
    expect(value(lines, 'l7-create-errors', 'count')).toBe(0);
    expect(value(lines, 'l7-queue-backlog', 'count')).toBe(0);
    expect(value(lines, 'l7-failed-jobs', 'count')).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('L8 serves every token and counts the token-table reads per token', async () => {
    const lines = await runBench('l8-token-auth.mjs', {
      BENCH_L8_TOKENS: '10',
      BENCH_L8_QUICK: '1',
    });
    expect(Number.isFinite(value(lines, 'l8-token-auth-overhead-p95', 'ms'))).toBe(true);
    expect(Number.isFinite(value(lines, 'l8-token-auth-overhead-p50', 'ms'))).toBe(true);
    expect(value(lines, 'l8-token-auth-errors', 'count')).toBe(0);
    expect(value(lines, 'l8-lookup-tokens', 'count')).toBe(10);
    expect(value(lines, 'l8-tokens-accepted', 'count')).toBe(10);
    expect(value(lines, 'l8-lookup-phase-errors', 'count')).toBe(0);
    // Verification happens in memory on the instance; each token's use is written once.
    const perToken = value(lines, 'l8-lookups-per-token', 'count');
    expect(perToken).toBeGreaterThan(0);
    expect(perToken).toBeLessThanOrEqual(1);
    expect(leftovers()).toEqual([]);
  });

  it('L9 applies every swap and samples memory, descriptors and handles', async () => {
    const lines = await runBench('l9-soak.mjs', { BENCH_L9_SECONDS: '8' });
    expect(value(lines, 'l9-swaps-applied', 'count')).toBe(4);
    expect(value(lines, 'l9-errors', 'count')).toBe(0);
    expect(Number.isFinite(value(lines, 'l9-rss-growth', '%'))).toBe(true);
    expect(Number.isInteger(value(lines, 'l9-fd-growth', 'count'))).toBe(true);
    expect(Number.isInteger(value(lines, 'l9-handle-growth', 'count'))).toBe(true);
    expect(leftovers()).toEqual([]);
  });
});
