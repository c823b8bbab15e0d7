/** flagd lesson: clients that ping frequently, even without calls, must never be cut off. */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluationClient } from './helpers/grpc-client.js';
import { startInProcess, TOKENS, type TestInstance } from './helpers/in-process.js';

let t: TestInstance;
beforeAll(async () => {
  t = await startInProcess();
});
afterAll(() => t.dp.close());

it('keeps a connection whose client pings every 300 ms without calls', async () => {
  const client = evaluationClient(t.grpc, {
    'grpc.keepalive_time_ms': 300,
    'grpc.keepalive_timeout_ms': 1000,
    'grpc.keepalive_permit_without_calls': 1,
  });
  const auth = { authorization: `Bearer ${TOKENS.all}` };
  let closed = false;
  try {
    await client.call('Boolean', { flagKey: 'kill-switch', entityId: 'u' }, auth);
    const channel = client.channel();
    const states: grpc.connectivityState[] = [];
    const watch = (s: grpc.connectivityState) =>
      channel.watchConnectivityState(s, Date.now() + 60_000, (err) => {
        if (err || closed) return;
        const next = channel.getConnectivityState(false);
        states.push(next);
        watch(next);
      });
    watch(channel.getConnectivityState(false));
    await new Promise((r) => setTimeout(r, 2500));
    expect(states).toEqual([]);
    expect(channel.getConnectivityState(false)).toBe(grpc.connectivityState.READY);
    await expect(
      client.call('Boolean', { flagKey: 'kill-switch', entityId: 'u' }, auth),
    ).resolves.toMatchObject({ enabled: true });
  } finally {
    closed = true;
    client.close();
  }
});
