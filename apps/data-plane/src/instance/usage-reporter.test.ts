/**
 * The counter and the reporter's exactly-once rules, against an in-memory "control plane" that
 * applies each batch id once (the real one does it with a unique constraint; see the
 * control plane's usage int tests). Failures are real rejections of the send function.
 */
import { describe, expect, it } from 'vitest';
import type { UsageBatch } from '@switchyard/contracts';
import { createLogger } from '../logger.js';
import { UsageCounter } from '../metrics/usage-counter.js';
import { UsageReporter } from './usage-reporter.js';

/** Applies batches once per id; `mode` decides whether a call fails before or after applying. */
function fakeServer() {
  const applied = new Set<string>();
  const totals = new Map<string, number>();
  let mode: 'ok' | 'down' | 'lost-answer' = 'ok';
  const calls: string[] = [];
  return {
    totals,
    calls,
    setMode: (m: typeof mode) => (mode = m),
    reportUsage(batch: UsageBatch): Promise<void> {
      calls.push(batch.batchId!);
      if (mode === 'down') return Promise.reject(new Error('unavailable'));
      if (!applied.has(batch.batchId!)) {
        applied.add(batch.batchId!);
        for (const c of batch.counts ?? []) {
          const k = `${c.flagKey}=${c.value}`;
          totals.set(k, (totals.get(k) ?? 0) + Number(c.count));
        }
      }
      return mode === 'lost-answer' ? Promise.reject(new Error('deadline')) : Promise.resolve();
    },
  };
}

const logger = createLogger('silent');

describe('UsageCounter', () => {
  it('counts per key, drains and zeroes, and forgets idle keys', () => {
    const c = new UsageCounter();
    for (let i = 0; i < 3; i++) c.count('prod', 'default', 'colour', 'blue', 'MATCH');
    c.count('prod', 'default', 'banner', 'true', 'DEFAULT');
    expect(
      c
        .drain()
        .map((x) => `${x.flag}=${x.value}:${x.n}`)
        .sort(),
    ).toEqual(['banner=true:1', 'colour=blue:3']);
    expect(c.drain()).toEqual([]);
    c.count('prod', 'default', 'colour', 'blue', 'MATCH');
    expect(c.drain().map((x) => x.n)).toEqual([1]);
  });
});

describe('UsageReporter', () => {
  it('never double counts when an answer is lost, and loses nothing while the server is down', async () => {
    const server = fakeServer();
    const counter = new UsageCounter();
    const r = new UsageReporter(server, counter, logger, {
      instanceId: 'i',
      startedAtMs: 1,
      intervalMs: 1_000,
      now: () => 120_000,
    });
    const evaluate = (n: number) => {
      for (let i = 0; i < n; i++) counter.count('prod', 'default', 'colour', 'blue', 'MATCH');
    };
    evaluate(5);
    server.setMode('lost-answer'); // applied, but the instance does not know
    await r.flush();
    expect(r.pending).toBe(1);
    evaluate(7);
    server.setMode('down');
    await r.flush(); // resends batch 1 (fails), batch 2 collects the 7
    evaluate(11);
    await r.flush(); // still down: the 11 merge into batch 2, never into batch 1
    expect(r.pending).toBe(2);
    server.setMode('ok');
    await r.flush();
    expect(r.pending).toBe(0);
    expect(server.totals.get('colour=blue')).toBe(5 + 7 + 11);
    expect(new Set(server.calls)).toEqual(new Set(['i:1:1', 'i:1:2']));
  });

  it('drops counts beyond the bound of pending rows and says how many', async () => {
    const server = fakeServer();
    server.setMode('down');
    const counter = new UsageCounter();
    let now = 0;
    const r = new UsageReporter(server, counter, logger, {
      instanceId: 'i',
      startedAtMs: 1,
      intervalMs: 1_000,
      maxEntries: 2,
      now: () => now,
    });
    await r.flush();
    for (let minute = 0; minute < 4; minute++) {
      now = minute * 60_000;
      counter.count('prod', 'default', 'colour', 'blue', 'MATCH');
      await r.flush();
    }
    // Batch 1 was sent (failed) holding minute 0; batch 2 holds minutes 1 and 2; minute 3 is dropped.
    expect(r.dropped).toBe(1);
    server.setMode('ok');
    await r.stop();
    expect(server.totals.get('colour=blue')).toBe(3);
  });
});
