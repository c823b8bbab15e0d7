/**
 * End-to-end: the built `switchyard` binary as a child process, driven by the real clients.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientTokenAuthentication, FliptClient as FliptRest } from '@flipt-io/flipt';
import { FliptClient as FliptWasm } from '@flipt-io/flipt-client-js';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startBinary, type RunningBinary } from './helpers/binary.js';
import { CASES, FIXTURE_DIR } from './helpers/fixture.js';
import { evaluationClient } from './helpers/grpc-client.js';

const TOKEN = 'e2e-secret';
const tmp = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
const flagsDir = join(tmp, 'flags');
cpSync(FIXTURE_DIR, flagsDir, { recursive: true });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sorted = (keys: unknown) => [...(keys as string[])].sort();

describe('switchyard serve --dir', () => {
  let bin: RunningBinary;
  beforeAll(async () => {
    bin = await startBinary(['--dir', flagsDir, '--token', TOKEN, '--data-dir', join(tmp, 'data')]);
    await bin.waitForLog((l) => l.msg === 'first sync done');
  });
  afterAll(async () => {
    await bin?.stop();
  });

  it('is ready and answers identically through REST SDK, gRPC, client-side WASM and OFREP', async () => {
    expect((await fetch(`${bin.url}/ready`)).status).toBe(200);
    const rest = new FliptRest({
      url: bin.url,
      authenticationStrategy: new ClientTokenAuthentication(TOKEN),
    });
    const wasm = await FliptWasm.init({
      url: bin.url,
      namespace: 'default',
      authentication: { clientToken: TOKEN },
    });
    const grpc = evaluationClient(bin.grpc);
    await OpenFeature.setProviderAndWait(
      'e2e',
      new OFREPProvider({ baseUrl: bin.url, headers: { Authorization: `Bearer ${TOKEN}` } }),
    );
    const of = OpenFeature.getClient('e2e');
    try {
      for (const c of CASES) {
        const req = {
          namespaceKey: 'default',
          flagKey: 'color',
          entityId: c.entityId,
          context: c.context,
        };
        const r = await rest.evaluation.variant(req);
        const g = await grpc.call('Variant', req, { authorization: `Bearer ${TOKEN}` });
        const w = wasm.evaluateVariant({
          flagKey: 'color',
          entityId: c.entityId,
          context: c.context,
        });
        const o = await of.getStringDetails('color', 'fallback', {
          targetingKey: c.entityId,
          ...c.context,
        });
        expect([g.variantKey, w.variantKey, o.value]).toEqual([
          r.variantKey,
          r.variantKey,
          r.variantKey,
        ]);
        expect([g.reason, w.reason]).toEqual([r.reason, r.reason]);
        expect([sorted(g.segmentKeys), sorted(w.segmentKeys)]).toEqual([
          sorted(r.segmentKeys),
          sorted(r.segmentKeys),
        ]);
        const rb = await rest.evaluation.boolean({ ...req, flagKey: 'dark-mode' });
        const wb = wasm.evaluateBoolean({
          flagKey: 'dark-mode',
          entityId: c.entityId,
          context: c.context,
        });
        const ob = await of.getBooleanValue('dark-mode', false, {
          targetingKey: c.entityId,
          ...c.context,
        });
        expect([wb.enabled, ob]).toEqual([rb.enabled, rb.enabled]);
      }
    } finally {
      wasm.close();
      grpc.close();
      await OpenFeature.close();
    }
  });

  it('a changed file becomes visible and is pushed to the stream', async () => {
    const lines: string[] = [];
    const req = request(
      `${bin.url}/client/v2/environments/default/namespaces/other/stream`,
      { headers: { authorization: `Bearer ${TOKEN}` } },
      (res) => {
        res
          .setEncoding('utf8')
          .on('data', (c: string) => lines.push(...c.split('\n').filter(Boolean)));
      },
    );
    req.end();
    try {
      await expect.poll(() => lines.length, { timeout: 5000 }).toBe(1);
      const file = join(flagsDir, 'other/features.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('enabled: true', 'enabled: false'));
      await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(2);
      const flags = (JSON.parse(lines[1]!) as { result: { flags: Array<{ enabled: boolean }> } })
        .result.flags;
      expect(flags[0]!.enabled).toBe(false);
    } finally {
      req.destroy();
    }
  });

  it('refreshes on demand for push notifications (authenticated)', async () => {
    const refresh = (q: string, auth?: string) =>
      fetch(`${bin.url}/api/switchyard/v1/refresh${q}`, {
        method: 'POST',
        headers: auth ? { authorization: auth } : {},
      });
    expect((await refresh('')).status).toBe(401);
    const r = await refresh('?environment=default', `Bearer ${TOKEN}`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ refreshed: 'default' });
    expect((await refresh('?environment=nope', `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('rejects bad tokens and malformed requests with 4xx', async () => {
    const post = (body: string, auth = `Bearer ${TOKEN}`) =>
      fetch(`${bin.url}/evaluate/v1/variant`, {
        method: 'POST',
        body,
        headers: { authorization: auth },
      });
    expect((await post('{"flagKey":"color","entityId":"u"}', 'Bearer nope')).status).toBe(401);
    expect((await post('{"flagKey":')).status).toBe(400);
    expect((await post('{"flagKey":"color","context":{"a":1}}')).status).toBe(400);
    expect(
      (await post(JSON.stringify({ flagKey: 'color', context: { a: 'x'.repeat(2 << 20) } })))
        .status,
    ).toBe(413);
  });
});

describe('switchyard serve --upstream (a mirror of another instance)', () => {
  it('serves what the upstream serves and follows its changes', async () => {
    const dir = join(tmp, 'mirror-src');
    cpSync(FIXTURE_DIR, dir, { recursive: true });
    const upstream = await startBinary([
      '--dir',
      dir,
      '--token',
      'up-token',
      '--environment',
      'production',
      '--data-dir',
      join(tmp, 'data-up'),
    ]);
    let mirror: RunningBinary | undefined;
    try {
      await upstream.waitForLog((l) => l.msg === 'first sync done');
      mirror = await startBinary([
        '--upstream',
        upstream.url,
        '--upstream-token',
        'up-token',
        '--environment',
        'production',
        '--poll',
        '500ms',
        '--token',
        'mirror-token',
        '--data-dir',
        join(tmp, 'data-mirror'),
      ]);
      await mirror.waitForLog((l) => l.msg === 'first sync done');
      const revision = async (b: RunningBinary) =>
        (
          (await (await fetch(`${b.url}/ready`)).json()) as {
            environments: Array<{ revision: string | null }>;
          }
        ).environments[0]!.revision;
      expect(await revision(mirror)).toBe(await revision(upstream));
      const evaluate = (b: RunningBinary, token: string) =>
        fetch(`${b.url}/evaluate/v1/boolean`, {
          method: 'POST',
          body: '{"namespaceKey":"other","flagKey":"ns-flag","entityId":"u"}',
          headers: { authorization: `Bearer ${token}` },
        }).then(async (r) => ((await r.json()) as { enabled: boolean }).enabled);
      expect(await evaluate(mirror, 'mirror-token')).toBe(true);
      const file = join(dir, 'other/features.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('enabled: true', 'enabled: false'));
      await expect.poll(() => evaluate(upstream, 'up-token'), { timeout: 10_000 }).toBe(false);
      await expect.poll(() => evaluate(mirror!, 'mirror-token'), { timeout: 10_000 }).toBe(false);
      expect(await revision(mirror)).toBe(await revision(upstream));
    } finally {
      await mirror?.stop();
      await upstream.stop();
    }
  });
});

describe('switchyard serve --config (several environments, scoped tokens)', () => {
  it('serves each environment to the tokens allowed to read it', async () => {
    const cfg = join(tmp, 'switchyard.yaml');
    writeFileSync(
      cfg,
      `environments:
  - { key: production, default: true, source: { type: dir, path: "${flagsDir}" } }
  - { key: staging, source: { type: dir, path: "${FIXTURE_DIR}" } }
auth:
  tokens:
    - { name: all, token: every-env, environments: "*" }
    - { name: prod, token: prod-only, environments: [production] }
`,
    );
    const bin = await startBinary(['--config', cfg, '--data-dir', join(tmp, 'data-cfg')]);
    try {
      await bin.waitForLog((l) => l.msg === 'first sync done');
      const ready = (await (await fetch(`${bin.url}/ready`)).json()) as {
        environments: Array<{ key: string; ready: boolean }>;
      };
      expect(ready.environments.map((e) => [e.key, e.ready])).toEqual([
        ['production', true],
        ['staging', true],
      ]);
      const evaluate = (token: string, env?: string) =>
        fetch(`${bin.url}/evaluate/v1/boolean`, {
          method: 'POST',
          body: '{"flagKey":"kill-switch","entityId":"u"}',
          headers: {
            authorization: `Bearer ${token}`,
            ...(env ? { 'x-flipt-environment': env } : {}),
          },
        }).then((r) => r.status);
      expect(await evaluate('every-env', 'staging')).toBe(200);
      expect(await evaluate('prod-only')).toBe(200);
      expect(await evaluate('prod-only', 'staging')).toBe(403);
      expect(await evaluate('every-env', 'qa')).toBe(404);
    } finally {
      await bin.stop();
    }
  });
});

describe('lifecycle', () => {
  it('/ready is 503 and evaluation 503 when nothing was ever loaded', async () => {
    const bin = await startBinary([
      '--dir',
      join(tmp, 'missing'),
      '--no-auth',
      '--data-dir',
      join(tmp, 'data-missing'),
    ]);
    try {
      expect((await fetch(`${bin.url}/health`)).status).toBe(200);
      expect((await fetch(`${bin.url}/ready`)).status).toBe(503);
      const r = await fetch(`${bin.url}/evaluate/v1/boolean`, {
        method: 'POST',
        body: '{"flagKey":"kill-switch","entityId":"u"}',
      });
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({
        code: 14,
        message: 'environment "default" is not ready',
      });
    } finally {
      await bin.stop();
    }
  });

  it('SIGTERM drains an in-flight request and exits 0', async () => {
    const bin = await startBinary([
      '--dir',
      flagsDir,
      '--no-auth',
      '--data-dir',
      join(tmp, 'data2'),
    ]);
    await bin.waitForLog((l) => l.msg === 'first sync done');
    const body = JSON.stringify({ flagKey: 'kill-switch', entityId: 'u' });
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(
        `${bin.url}/evaluate/v1/boolean`,
        { method: 'POST', headers: { 'content-length': String(body.length) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => req.end(body.slice(5)), 800);
    });
    await new Promise((r) => setTimeout(r, 300));
    const exit = bin.stop('SIGTERM');
    expect(await answer).toBe(200);
    expect(await exit).toBe(0);
  });

  it('fails fast on invalid configuration, naming the field', async () => {
    const noToken = await runCli(['serve', '--dir', flagsDir]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('auth.tokens');
    const badPort = await runCli(['serve', '--dir', flagsDir, '--no-auth', '--http-port', 'abc']);
    expect(badPort.stderr).toContain('http-port');
    const cfg = join(tmp, 'bad.yaml');
    writeFileSync(cfg, 'environments:\n  - key: "bad key"\n    source: { type: ftp }\n');
    const bad = await runCli(['serve', '--config', cfg, '--no-auth']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('environments.0.key');
  });

  it('prints help and validates directories', async () => {
    expect((await runCli(['--help'])).stdout).toContain('switchyard serve');
    expect((await runCli(['validate', flagsDir])).code).toBe(0);
    const broken = join(tmp, 'broken');
    cpSync(FIXTURE_DIR, broken, { recursive: true });
    writeFileSync(
      join(broken, 'default/features.yaml'),
      'flags:\n  - key: x\n    name: X\n    type: NOPE\n',
    );
    const r = await runCli(['validate', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('default/features.yaml');
  });
});
