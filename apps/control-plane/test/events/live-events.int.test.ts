/**
 * One change event across replicas: two control-plane apps (replicas A and B) share Postgres, the
 * git data directory and a Redis channel. A commit through A reaches an instance's watch stream
 * and a console event stream connected to B, with who changed what; the stream is guarded like
 * reading flags and isolated per organisation.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { instanceContract } from '@switchyard/contracts';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/common/crypto.js';
import { instanceSecret } from '../../src/instances/instance-credentials.js';
import { InternalGrpcServer } from '../../src/internal-grpc/internal-grpc.server.js';
import { flagsFixture, variantFlag, type FlagsFixture } from '../flags/flags-helpers.js';
import { openSse, type SseStream } from './sse-client.js';

let f: FlagsFixture;
let b: NestFastifyApplication;
let originA: string;
let originB: string;
const streams: SseStream[] = [];

async function listen(app: NestFastifyApplication): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.getHttpServer().address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

const bearer = (c: { token: string }) => ({ authorization: `Bearer ${c.token}` });

async function events(origin: string, org: string, env: string, headers: Record<string, string>) {
  const s = await openSse(`${origin}/api/v1/orgs/${org}/environments/${env}/events`, headers);
  streams.push(s);
  return s;
}

beforeAll(async () => {
  // Heartbeats are shortened so the test sees some without waiting the production 15 s.
  f = await flagsFixture([{ key: 'prod' }, { key: 'staging' }], {
    EVENT_STREAM_HEARTBEAT_MS: '100',
  });
  b = await f.t.replica();
  originA = await listen(f.t.app);
  originB = await listen(b);
});
afterAll(async () => {
  for (const s of streams) s.close();
  await f?.t.close();
});

describe('change events across replicas', () => {
  it('a commit through replica A reaches an event stream on replica B with author, message and flags', async () => {
    const live = await events(originB, 'home', 'prod', bearer(f.viewer));
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(live.headers.get('cache-control')).toContain('no-transform');
    const other = await events(originB, 'home', 'staging', bearer(f.viewer));

    const put = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/banner`,
      headers: { 'if-match': await f.revision('prod') },
      body: variantFlag('banner'),
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const revision = put.json.revision as string;

    const frame = await live.next((e) => e.event === 'commit' && e.id === revision);
    const data = JSON.parse(frame.data) as Record<string, unknown>;
    expect(data).toMatchObject({
      revision,
      author: { name: 'Eddie Editor', email: 'editor@example.com' },
      changedFlags: [{ namespace: 'default', key: 'banner' }],
    });
    // The subject line only: the commit's trailers are not part of a notice.
    expect(data['message']).toMatch(/^[^\n]*banner[^\n]*$/);
    // Exactly once on B (A's own copy over Redis is not delivered twice), and only for prod.
    await new Promise((r) => setTimeout(r, 300));
    expect(live.frames().filter((e) => e.id === revision)).toHaveLength(1);
    expect(other.frames().filter((e) => e.event === 'commit')).toEqual([]);
    expect(live.text()).toMatch(/^retry: 3000\n: connected\n\n/);
    expect(other.text()).toContain(': heartbeat\n\n');
  });

  it('a git push to replica A reaches an event stream on replica B with the pushed commit', async () => {
    const put = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/pushme`,
      headers: { 'if-match': await f.revision('prod') },
      body: variantFlag('pushme'),
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const live = await events(originB, 'home', 'prod', bearer(f.viewer));
    const dir = await mkdtemp(join(tmpdir(), 'sy-live-push-'));
    const git = (args: string[]) =>
      promisify(execFile)('git', args, { cwd: dir, env: TEST_GIT_ENV }).then((r) =>
        r.stdout.trim(),
      );
    try {
      const remote = `${originA.replace('http://', `http://x:${f.editor.token}@`)}/git/home/prod.git`;
      await git(['clone', '--quiet', remote, '.']);
      const file = join(dir, 'default/features.yaml');
      const yaml = await readFile(file, 'utf8');
      expect(yaml).toContain('name: pushme');
      await writeFile(file, yaml.replace('name: pushme', 'name: Push me (pushed)'));
      await git([
        'commit',
        '-q',
        '-am',
        'rename the flag',
        '--author',
        'Pat Pusher <pat@example.com>',
      ]);
      await git(['push', '-q', 'origin', 'HEAD:main']);
      const pushed = await git(['rev-parse', 'HEAD']);
      const frame = await live.next((e) => e.event === 'commit' && e.id === pushed);
      expect(JSON.parse(frame.data)).toEqual({
        revision: pushed,
        author: { name: 'Pat Pusher', email: 'pat@example.com' },
        message: 'rename the flag',
        changedFlags: [{ namespace: 'default', key: 'pushme' }],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a commit through replica A reaches an instance's watch stream on replica B", async () => {
    const org = await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } });
    const inst = await f.t.db.instance.create({
      data: { orgId: org.id, desiredState: {}, status: 'ready' },
    });
    const secret = instanceSecret(f.t.config.secret, inst.id);
    await f.t.db.instance.update({ where: { id: inst.id }, data: { secretHash: sha256(secret) } });
    const port = await b.get(InternalGrpcServer).start();
    const services = instanceContract();
    const client = new services.InstanceService(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    const md = new grpc.Metadata();
    md.set('x-switchyard-instance-id', inst.id);
    md.set('authorization', `Bearer ${secret}`);
    const received: Record<string, unknown>[] = [];
    const watch = (
      client as unknown as {
        Watch: (req: object, md: grpc.Metadata) => grpc.ClientReadableStream<object>;
      }
    ).Watch({}, md);
    watch.on('data', (e: Record<string, unknown>) => received.push(e));
    watch.on('error', () => undefined);
    try {
      // The stream opens with config_changed; from then on it is subscribed.
      await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const put = await f.t.call(f.editor, {
        method: 'PUT',
        url: `${f.base('staging')}/namespaces/default/flags/watched`,
        headers: { 'if-match': await f.revision('staging') },
        body: variantFlag('watched'),
      });
      expect(put.status, JSON.stringify(put.json)).toBe(200);
      await expect
        .poll(() => received.map((e) => e['environmentChanged']).filter(Boolean), {
          timeout: 10_000,
        })
        .toEqual([{ environmentKey: 'staging', revision: put.json.revision }]);
    } finally {
      watch.cancel();
      client.close();
    }
  });

  it('tells a client reconnecting after missed commits to resync, and one that missed nothing not', async () => {
    const head = await f.revision('prod');
    const current = await events(originB, 'home', 'prod', {
      ...bearer(f.viewer),
      'last-event-id': head,
    });
    const behind = await events(originB, 'home', 'prod', {
      ...bearer(f.viewer),
      'last-event-id': '0'.repeat(40),
    });
    expect(await behind.next((e) => e.event === 'resync')).toMatchObject({ data: '{}' });
    await new Promise((r) => setTimeout(r, 300));
    expect(current.frames()).toEqual([]);
  });

  it('is guarded like reading flags: anonymous 401, another organisation 404, unknown environment 404', async () => {
    const other = await f.t.org('elsewhere', { 'stranger@example.com': 'ADMIN' });
    const stranger = other.callers['stranger@example.com']!;
    const anonymous = await events(originB, 'home', 'prod', {});
    expect(anonymous.status).toBe(401);
    const foreign = await events(originB, 'home', 'prod', bearer(stranger));
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/^application\/json/);
    // The stranger's own organisation has no environment of that name.
    expect((await events(originB, 'elsewhere', 'prod', bearer(stranger))).status).toBe(404);
    expect((await events(originB, 'home', 'nope', bearer(f.viewer))).status).toBe(404);
  });
});
