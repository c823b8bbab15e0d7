import { describe, expect, it } from 'vitest';
import { retry } from './retry.js';
import { sleep } from './sleep.js';

/** A sleep that records the delays and returns at once (honouring an abort like the real one). */
function fakeSleep() {
  const delays: number[] = [];
  const fn = (ms: number, signal?: AbortSignal) => {
    delays.push(ms);
    return signal?.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
  };
  return { delays, fn };
}

/** A call that fails `n` times with the given errors (cycled), then returns the attempt number. */
function failing(n: number, ...errs: Error[]) {
  const seen: number[] = [];
  const fn = (attempt: number) => {
    seen.push(attempt);
    if (seen.length <= n)
      return Promise.reject(errs[(seen.length - 1) % errs.length] ?? new Error(`fail ${attempt}`));
    return Promise.resolve(attempt);
  };
  return { seen, fn };
}

describe('retry', () => {
  it('returns the first success, numbering attempts from 1', async () => {
    const call = failing(2);
    const s = fakeSleep();
    await expect(retry(call.fn, { maxAttempts: 5, sleep: s.fn })).resolves.toBe(3);
    expect(call.seen).toEqual([1, 2, 3]);
    expect(s.delays).toEqual([]); // no backoff: no wait at all
  });

  it('rethrows the last error unchanged when the attempts are used up', async () => {
    const last = new Error('third');
    const call = failing(5, new Error('first'), new Error('second'), last);
    await expect(retry(call.fn, { maxAttempts: 3 })).rejects.toBe(last);
    expect(call.seen).toEqual([1, 2, 3]);
  });

  it('maxAttempts 1 makes a single attempt', async () => {
    const call = failing(1);
    await expect(retry(call.fn, { maxAttempts: 1 })).rejects.toThrow('fail 1');
    expect(call.seen).toEqual([1]);
  });

  it('retries only what retryIf accepts, and passes it the attempt', async () => {
    const transient = Object.assign(new Error('serialization failure'), { code: 'P2034' });
    const fatal = new Error('unique violation');
    const call = failing(3, transient, fatal);
    const asked: number[] = [];
    const retryIf = (e: unknown, attempt: number) => (
      asked.push(attempt),
      (e as { code?: string }).code === 'P2034'
    );
    await expect(retry(call.fn, { maxAttempts: 10, retryIf })).rejects.toBe(fatal);
    expect(call.seen).toEqual([1, 2]);
    expect(asked).toEqual([1, 2]);
  });

  it('waits the backoff delays, jittered by the injected random source, and reports each retry', async () => {
    const call = failing(4);
    const s = fakeSleep();
    const retries: [number, number][] = [];
    const value = await retry(call.fn, {
      maxAttempts: Infinity,
      backoff: { initialMs: 250, maxMs: 1000, jitter: 0.2 },
      random: () => 0,
      sleep: s.fn,
      onRetry: (_e, attempt, delayMs) => retries.push([attempt, delayMs]),
    });
    expect(value).toBe(5);
    expect(s.delays).toEqual([200, 400, 800, 800]);
    expect(retries).toEqual([
      [1, 200],
      [2, 400],
      [3, 800],
      [4, 800],
    ]);
  });

  it('does not wait after the final attempt', async () => {
    const s = fakeSleep();
    await expect(
      retry(failing(9).fn, {
        maxAttempts: 3,
        backoff: { initialMs: 10, maxMs: 10, jitter: 0 },
        sleep: s.fn,
      }),
    ).rejects.toThrow();
    expect(s.delays).toEqual([10, 10]);
  });

  it('an aborted signal stops before the first attempt', async () => {
    const ctl = new AbortController();
    ctl.abort(new Error('shutting down'));
    const call = failing(0);
    await expect(retry(call.fn, { maxAttempts: 3, signal: ctl.signal })).rejects.toThrow(
      'shutting down',
    );
    expect(call.seen).toEqual([]);
  });

  it('an abort during an attempt ends with that attempt’s error, without retrying', async () => {
    const ctl = new AbortController();
    const seen: number[] = [];
    const boom = new Error('request aborted');
    const fn = (attempt: number) => {
      seen.push(attempt);
      ctl.abort(new Error('stop'));
      return Promise.reject(boom);
    };
    await expect(retry(fn, { maxAttempts: 5, signal: ctl.signal })).rejects.toBe(boom);
    expect(seen).toEqual([1]);
  });

  it('an abort during the real wait rejects at once with the signal reason', async () => {
    const ctl = new AbortController();
    const call = failing(9);
    const started = performance.now();
    const pending = retry(call.fn, {
      maxAttempts: 5,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      signal: ctl.signal,
    });
    setTimeout(() => ctl.abort(new Error('closed')), 20);
    await expect(pending).rejects.toThrow('closed');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(call.seen).toEqual([1]);
  });
});

describe('sleep', () => {
  it('waits about the given time', async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects at once on an already aborted signal', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
