/**
 * Upstream (mirror) source, against a real Switchyard instance (the transports' source and watch
 * endpoints) and against a scripted server for stream drops and bad tokens.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInstanceConfig } from '../../src/config/instance-config.js';
import { startDataPlane, type DataPlane } from '../../src/server.js';
import { startSync } from '../../src/sync/index.js';
import {
  featuresYaml,
  served,
  silentLogger,
  startOne,
  tempDir,
  waitFor,
  type StartedSync,
} from './sync-fixtures.js';

describe('upstream source against a real instance', () => {
  let flagsDir: string;
  let dataDirs: string[];
  let upstream: DataPlane | undefined;
  let mirror: StartedSync | undefined;

  beforeEach(async () => {
    flagsDir = await tempDir('sy-up-flags-');
    dataDirs = [await tempDir(), await tempDir()];
    await mkdir(join(flagsDir, 'default'));
    await writeFile(join(flagsDir, 'default', 'features.yaml'), featuresYaml({ color: 'blue' }));
    const config = parseInstanceConfig({
      host: '127.0.0.1',
      httpPort: 0,
      grpcPort: 0,
      dataDir: dataDirs[0],
      logLevel: 'silent',
      auth: { required: true, tokens: [{ token: 'mirror-token' }] },
      environments: [{ key: 'prod', source: { type: 'dir', path: flagsDir, watch: true } }],
    });
    upstream = await startDataPlane(config, silentLogger, startSync);
    await upstream.firstSync;
  });
  afterEach(async () => {
    await mirror?.sync.stop();
    mirror = undefined;
    await upstream?.close();
    await Promise.all([flagsDir, ...dataDirs].map((d) => rm(d, { recursive: true, force: true })));
  });

  const source = (token: string) => ({
    type: 'upstream' as const,
    url: `http://127.0.0.1:${upstream?.httpPort}`,
    token,
    environment: 'prod',
    pollIntervalMs: 60_000,
  });

  it('follows the upstream through its watch stream', async () => {
    mirror = await startOne('prod', source('mirror-token'), dataDirs[1] as string);
    expect(mirror.registry.snapshot('prod')?.revision).toBe(
      upstream?.registry.snapshot('prod')?.revision,
    );
    expect(served(mirror.registry, 'prod')?.color).toBe('blue');
    const t0 = Date.now();
    await writeFile(join(flagsDir, 'default', 'features.yaml'), featuresYaml({ color: 'green' }));
    // The poll interval is 60 s: only the stream can make this fast.
    await waitFor(() => served(mirror?.registry as never, 'prod')?.color === 'green', 5000);
    expect(mirror.registry.snapshot('prod')?.revision).toBe(
      upstream?.registry.snapshot('prod')?.revision,
    );
    console.log(`upstream: change mirrored ${Date.now() - t0} ms after the file write`);
  });

  it('keeps serving the last snapshot when the upstream goes away', async () => {
    mirror = await startOne('prod', source('mirror-token'), dataDirs[1] as string);
    await upstream?.close();
    upstream = undefined;
    await mirror.sync.refresh('prod');
    expect(served(mirror.registry, 'prod')?.color).toBe('blue');
    expect(mirror.registry.state('prod')?.lastError).toBeDefined();
  });

  it('a wrong token never becomes ready', async () => {
    mirror = await startOne('prod', source('wrong-token'), dataDirs[1] as string);
    expect(mirror.registry.ready()).toBe(false);
    expect(mirror.registry.state('prod')?.lastError?.message).toMatch(/HTTP 401/);
  });
});

describe('upstream source against a scripted server', () => {
  let server: Server;
  let dataDir: string;
  let mirror: StartedSync | undefined;
  let revision = 'a'.repeat(40);
  let files: Record<string, string> = {};
  const streams = new Set<ServerResponse>();
  let sourceHits = 0;
  let watchHits = 0;

  beforeEach(async () => {
    dataDir = await tempDir();
    files = {
      'default/features.yaml': Buffer.from(featuresYaml({ color: 'blue' })).toString('base64'),
    };
    sourceHits = 0;
    watchHits = 0;
    server = createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer t') return void res.writeHead(401).end();
      if (req.url?.endsWith('/source')) {
        sourceHits += 1;
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ revision, files }));
      }
      watchHits += 1;
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ revision })}\n`);
      streams.add(res);
      res.on('close', () => streams.delete(res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await mirror?.sync.stop();
    mirror = undefined;
    for (const s of streams) s.destroy();
    await new Promise((r) => server.close(r));
    await rm(dataDir, { recursive: true, force: true });
  });

  const publish = (rev: string, color: string) => {
    revision = rev;
    files = { 'default/features.yaml': Buffer.from(featuresYaml({ color })).toString('base64') };
    for (const s of streams) s.write(`${JSON.stringify({ revision })}\n`);
  };

  it('falls back to polling while the stream is down and reconnects', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mirror = await startOne(
      'prod',
      { type: 'upstream', url, token: 't', environment: 'prod', pollIntervalMs: 200 },
      dataDir,
    );
    await waitFor(() => streams.size === 1);
    publish('b'.repeat(40), 'green');
    await waitFor(() => served(mirror?.registry as never, 'prod')?.color === 'green', 3000);
    // Drop the stream: the poll (200 ms) keeps the mirror fresh until it reconnects (1 s backoff).
    for (const s of streams) s.destroy();
    await waitFor(() => streams.size === 0);
    revision = 'c'.repeat(40);
    files = {
      'default/features.yaml': Buffer.from(featuresYaml({ color: 'red' })).toString('base64'),
    };
    await waitFor(() => served(mirror?.registry as never, 'prod')?.color === 'red', 3000);
    await waitFor(() => streams.size === 1, 5000);
    expect(watchHits).toBeGreaterThanOrEqual(2);
    expect(sourceHits).toBeGreaterThanOrEqual(3);
  });
});
