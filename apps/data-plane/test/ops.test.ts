import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { compileFixture } from './helpers/fixture.js';
import { startInProcess, TOKENS } from './helpers/in-process.js';

describe('health, readiness, metrics', () => {
  it('/ready is 503 until every environment has a snapshot, evaluation is 503 meanwhile', async () => {
    const t = await startInProcess({ publish: false });
    try {
      expect(await (await fetch(`${t.url}/health`)).json()).toEqual({ status: 'SERVING' });
      const notReady = await fetch(`${t.url}/ready`);
      expect(notReady.status).toBe(503);
      const body = (await notReady.json()) as {
        status: string;
        environments: Array<{ key: string; ready: boolean }>;
      };
      expect(body.status).toBe('NOT_SERVING');
      expect(body.environments.map((e) => [e.key, e.ready])).toEqual([
        ['production', false],
        ['staging', false],
      ]);
      const ev = await fetch(`${t.url}/evaluate/v1/boolean`, {
        method: 'POST',
        body: '{"flagKey":"kill-switch","entityId":"u"}',
        headers: { authorization: `Bearer ${TOKENS.all}` },
      });
      expect(ev.status).toBe(503);
      expect(await ev.json()).toEqual({
        code: 14,
        message: 'environment "production" is not ready',
        details: [],
      });

      t.dp.registry.publish('production', compileFixture('a'.repeat(40)), Date.now());
      t.dp.registry.fail('staging', {
        message: 'bad document',
        revision: 'e'.repeat(40),
        file: 'default/features.yaml',
        line: 3,
        at: Date.now(),
      });
      expect((await fetch(`${t.url}/ready`)).status).toBe(503);
      t.dp.registry.publish('staging', compileFixture('b'.repeat(40)), Date.now());
      t.dp.registry.fail('staging', {
        message: 'bad document',
        revision: 'e'.repeat(40),
        file: 'default/features.yaml',
        line: 3,
        at: Date.now(),
      });
      const ready = await fetch(`${t.url}/ready`);
      expect(ready.status).toBe(200);
      const detail = (await ready.json()) as { environments: Array<Record<string, unknown>> };
      expect(detail.environments[1]).toMatchObject({
        key: 'staging',
        ready: true,
        revision: 'b'.repeat(40),
        lastError: {
          message: 'bad document',
          revision: 'e'.repeat(40),
          file: 'default/features.yaml',
          line: 3,
        },
      });
    } finally {
      await t.dp.close();
    }
  });

  it('/metrics exposes evaluations, latency and revisions', async () => {
    const t = await startInProcess();
    try {
      await fetch(`${t.url}/evaluate/v1/boolean`, {
        method: 'POST',
        body: '{"flagKey":"kill-switch","entityId":"u"}',
        headers: { authorization: `Bearer ${TOKENS.all}` },
      });
      const text = await (await fetch(`${t.url}/metrics`)).text();
      expect(text).toContain(
        'switchyard_evaluations_total{environment="production",namespace="default",flag="kill-switch",reason="DEFAULT_EVALUATION_REASON"} 1',
      );
      expect(text).toMatch(
        /switchyard_request_duration_seconds_bucket\{.*route="evaluate_boolean"/,
      );
      expect(text).toContain(
        `switchyard_snapshot_revision_info{environment="production",revision="${'a'.repeat(40)}"} 1`,
      );
    } finally {
      await t.dp.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('drains an in-flight request, then refuses new connections', async () => {
    const t = await startInProcess();
    const body = JSON.stringify({ flagKey: 'kill-switch', entityId: 'u' });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${t.url}/evaluate/v1/boolean`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.all}`, 'content-length': String(body.length) },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await expect.poll(() => t.dp.inFlight()).toBe(1);
    const closed = t.dp.close();
    const r = await answer;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ enabled: true });
    await closed;
    await expect(fetch(`${t.url}/health`)).rejects.toThrow();
  });

  it('ends open streams at once instead of waiting for the grace period', async () => {
    const t = await startInProcess();
    const ended = new Promise<number>((resolve) => {
      request(
        `${t.url}/client/v2/environments/production/namespaces/default/stream`,
        { headers: { authorization: `Bearer ${TOKENS.all}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(Date.now()));
        },
      )
        .on('error', () => resolve(Date.now()))
        .end();
    });
    const sse = new Promise<void>((resolve) => {
      request(
        `${t.url}/ofrep/v1/_stream/production/default/events`,
        { headers: { authorization: `Bearer ${TOKENS.all}`, accept: 'text/event-stream' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      )
        .on('error', () => resolve())
        .end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const start = Date.now();
    await t.dp.close();
    expect((await ended) - start).toBeLessThan(1000);
    await sse;
    expect(Date.now() - start).toBeLessThan(1500);
  });
});
