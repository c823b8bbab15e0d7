/**
 * The Redis relay of change events on the machine's real Redis: another replica gets each event
 * exactly once and the sender does not get its own back; local delivery does not wait for or
 * need Redis (unreachable: delivered locally, kept for later, bounded); a dropped subscription
 * comes back by itself and tells local listeners to resync.
 */
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config/config.js';
import { ChangeEvents, type ChangeEvent } from '../../src/events/change-events.js';
import { ChangeRelay, PENDING_LIMIT } from '../../src/events/change-relay.js';

const REDIS = 'redis://127.0.0.1:6379';
const REVISION = 'a'.repeat(40);
const opened: ChangeRelay[] = [];

async function replica(channel: string, redisUrl = REDIS) {
  const events = new ChangeEvents();
  const config = { redisUrl, changeEventsChannel: channel } as AppConfig;
  const relay = new ChangeRelay(config, pino({ level: 'silent' }), events);
  opened.push(relay);
  await relay.onModuleInit();
  const received: ChangeEvent[] = [];
  events.subscribe('org-1', (e) => received.push(e));
  return { events, relay, received };
}

const change = (revision = REVISION) => ({
  orgId: 'org-1',
  orgSlug: 'acme',
  envKey: 'prod',
  revision,
  author: { name: 'Ada', email: 'ada@example.com' },
  summary: 'Turn it on',
});

afterEach(() => {
  for (const r of opened.splice(0)) r.onApplicationShutdown();
});

describe('change relay', () => {
  it('delivers to the other replica once, not back to the sender, and skips malformed messages', async () => {
    const channel = `switchyard-test-${randomUUID()}:changes`;
    const a = await replica(channel);
    const b = await replica(channel);
    const raw = new Redis(REDIS);
    try {
      await raw.publish(channel, '{"v":1,"replica":"x","event":{"kind":"environment_changed"}}');
      await raw.publish(channel, 'not json');
      a.events.environmentChanged(change());
      // Delivered to A's own listeners synchronously, before any network round trip.
      expect(a.received).toEqual([{ kind: 'environment_changed', ...change() }]);
      await expect.poll(() => b.received).toEqual([{ kind: 'environment_changed', ...change() }]);
      b.events.tokensChanged('org-1');
      await expect
        .poll(() => a.received.map((e) => e.kind))
        .toEqual(['environment_changed', 'tokens_changed']);
      await new Promise((r) => setTimeout(r, 200));
      expect(a.received).toHaveLength(2);
      expect(b.received).toHaveLength(2);
      // Another organisation's listeners hear nothing.
      const elsewhere: ChangeEvent[] = [];
      b.events.subscribe('org-2', (e) => elsewhere.push(e));
      a.events.configChanged('org-1');
      await expect.poll(() => b.received).toHaveLength(3);
      expect(elsewhere).toEqual([]);
    } finally {
      raw.disconnect();
    }
  });

  it('delivers locally when Redis is unreachable and keeps a bounded backlog', async () => {
    const down = await replica(`switchyard-test-${randomUUID()}:changes`, 'redis://127.0.0.1:1');
    down.events.environmentChanged(change());
    expect(down.received).toHaveLength(1);
    expect(down.relay.pending()).toBe(1);
    for (let i = 0; i < PENDING_LIMIT + 10; i++)
      down.events.environmentChanged(change(i.toString(16).padStart(40, '0')));
    expect(down.received).toHaveLength(PENDING_LIMIT + 11);
    expect(down.relay.pending()).toBe(PENDING_LIMIT);
  });

  it('subscribes once Redis appears when it was unreachable at boot, and tells listeners to resync', async () => {
    const channel = `switchyard-test-${randomUUID()}:changes`;
    // A port with nothing on it at boot; later a forwarder to the real Redis listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const late = await replica(channel, `redis://127.0.0.1:${port}`);
    const a = await replica(channel);
    const sockets = new Set<Socket>();
    const forwarder: Server = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    try {
      await new Promise<void>((r) => forwarder.listen(port, '127.0.0.1', r));
      await expect
        .poll(() => late.received, { timeout: 15_000 })
        .toEqual([{ kind: 'resync', orgId: 'org-1' }]);
      a.events.environmentChanged(change());
      await expect
        .poll(() => late.received.map((e) => e.kind))
        .toEqual(['resync', 'environment_changed']);
    } finally {
      late.relay.onApplicationShutdown();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => forwarder.close(() => r()));
    }
  });

  it('re-subscribes after the connection is dropped and tells local listeners to resync', async () => {
    const channel = `switchyard-test-${randomUUID()}:changes`;
    const a = await replica(channel);
    const b = await replica(channel);
    const admin = new Redis(REDIS);
    try {
      const clients = (await admin.call('CLIENT', 'LIST')) as string;
      const line = clients
        .split('\n')
        .find((l) => l.includes(`name=switchyard-events-sub-${b.relay.replica}`));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id, clients).toBeDefined();
      await admin.call('CLIENT', 'KILL', 'ID', id!);
      await expect
        .poll(() => b.received, { timeout: 10_000 })
        .toEqual([{ kind: 'resync', orgId: 'org-1' }]);
      a.events.environmentChanged(change());
      await expect
        .poll(() => b.received.map((e) => e.kind))
        .toEqual(['resync', 'environment_changed']);
    } finally {
      admin.disconnect();
    }
  });
});
