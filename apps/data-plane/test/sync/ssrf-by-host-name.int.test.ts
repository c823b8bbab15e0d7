/**
 * Issue 10 item 5 through the real data-plane sync, configured as an instance is (no local git, an
 * allow-list from the control plane): every loopback vector is refused before git runs, so the
 * loopback canary sees no connection, and the environment's error says so without echoing the
 * URL. T6: a closed port, a port that accepts and says nothing, and an HTTP server that is not git
 * all give the same environment error; the cause is only in the operator log.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { REMOTE_UNAVAILABLE_MESSAGE } from '@switchyard/git-store';
import { startCanary, type Canary } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startOne, tempDir, type StartedSync } from './sync-fixtures.js';

const HOSTS = [
  'vm',
  'localhost',
  '[::127.0.0.1]',
  '[2002:7f00:1::]',
  '192.0.0.1',
  '198.18.0.1',
  '127.0.0.1',
  '2130706433',
  '0x7f.1',
  '[::ffff:127.0.0.1]',
  '[64:ff9b::7f00:1]',
  '[::1]',
  '169.254.169.254',
];

let canary: Canary;
beforeAll(async () => {
  canary = await startCanary();
});
afterAll(() => canary.close());

describe('issue 10 item 5: SSRF by host name', () => {
  it('instance-mode sync refuses every vector before connecting: the canary sees nothing', async () => {
    const urls = HOSTS.flatMap((h) => [
      `https://${h}:${canary.port}/flags.git`,
      `http://${h}:${canary.port}/flags.git`,
      `ssh://git@${h}:${canary.port}/flags.git`,
    ]);
    urls.push('git@vm:flags.git', 'git@127.0.0.1:flags.git');
    for (const url of urls) {
      const started: StartedSync | Error = await startOne(
        'prod',
        { type: 'git', url, branch: 'main', pollIntervalMs: 60_000 },
        await tempDir(),
        { allowLocalGit: false, allowedOrigins: [] },
      ).catch((e: unknown) => e as Error);
      if (started instanceof Error) {
        // Refused at configuration time (a literal or internal name): InvalidArgument, URL not echoed.
        expect(started, url).toMatchObject({ code: 'InvalidArgument' });
        expect(started.message, url).not.toContain(url);
        continue;
      }
      // A name that resolves to loopback is refused at connect time, before git runs.
      const state = started.registry.state('prod');
      await started.sync.stop();
      expect(started.registry.ready(), url).toBe(false);
      expect(state?.lastError?.message, url).toMatch(/git fetch refused: host .* is not allowed/);
    }
    expect(canary.hits).toEqual([]);
  });

  it('the exact allow-listed origin is reached (the canary records the handshake); a neighbour port is not', async () => {
    const url = `https://vm:${canary.port}/flags.git`;
    const other = await startOne(
      'prod',
      { type: 'git', url, branch: 'main', pollIntervalMs: 60_000 },
      await tempDir(),
      { allowLocalGit: false, allowedOrigins: [`https://vm:${canary.port + 1}`] },
    );
    await other.sync.stop();
    expect(canary.hits).toEqual([]);
    const allowed = await startOne(
      'prod',
      { type: 'git', url, branch: 'main', pollIntervalMs: 60_000 },
      await tempDir(),
      { allowLocalGit: false, allowedOrigins: [`https://vm:${canary.port}`] },
    );
    await allowed.sync.stop();
    expect(canary.hits.map((h) => h.kind)).toEqual(['tls']);
    canary.hits.length = 0;
  });
});

describe('T6: sync errors do not tell a closed port from an open one', () => {
  let silent: TcpServer;
  let http: Server;
  let closedPort = 0;
  beforeAll(async () => {
    silent = createTcpServer((s) => setTimeout(() => s.destroy(), 300));
    http = createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'),
    );
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const probe = createTcpServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  afterAll(async () => {
    await new Promise<void>((r) => silent.close(() => r()));
    await new Promise<void>((r) => http.close(() => r()));
  });

  it('closed, silent and non-git HTTP ports give the identical environment error; the cause is logged', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', (line) => lines.push(line));
    const ports = [
      closedPort,
      (silent.address() as { port: number }).port,
      (http.address() as { port: number }).port,
    ];
    const messages: (string | undefined)[] = [];
    for (const port of ports) {
      const url = `http://vm:${port}/flags.git`;
      const started = await startOne(
        'prod',
        { type: 'git', url, branch: 'main', pollIntervalMs: 60_000 },
        await tempDir(),
        {
          allowLocalGit: false,
          allowedOrigins: [`http://vm:${port}`],
          fetchTimeoutMs: 3000,
          logger,
        },
      );
      messages.push(started.registry.state('prod')?.lastError?.message);
      await started.sync.stop();
    }
    expect(messages).toEqual(Array(3).fill(`git fetch failed: ${REMOTE_UNAVAILABLE_MESSAGE}`));
    // The operator log keeps the real, different causes.
    const logged = lines.join('');
    expect(logged).toMatch(
      /Could not connect|Failed to connect|Connection refused|couldn't connect/i,
    );
  });
});
