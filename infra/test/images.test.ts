/**
 * The images in infra/docker, checked without Docker: the Dockerfiles (multi-stage, every final
 * stage non-root with a HEALTHCHECK, production dependencies only), the staging script the build
 * stage runs (infra/docker/stage-runtime.mjs, run here on this checkout's build output), and the
 * health-check helper the images run (against a real Redis and real HTTP servers).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, dockerfileStages, effective, type Stage } from './dockerfile.js';

const root = join(import.meta.dirname, '..', '..');
const HEALTHCHECK = join(root, 'infra', 'docker', 'healthcheck.mjs');

/** The images and their final stages (the compose targets of cloud.Dockerfile; data-plane's last). */
const IMAGES: Record<string, string[]> = {
  'infra/docker/cloud.Dockerfile': ['control-plane', 'worker', 'edge', 'console', 'dev-idp'],
  'infra/docker/data-plane.Dockerfile': ['data-plane'],
};

function npmInstalls(stage: Stage) {
  return stage.instructions
    .filter((i) => i.keyword === 'RUN')
    .flatMap((i) =>
      i.args
        .split(/&&|;/)
        .map((c) => c.trim())
        .filter((c) => /^(npm (ci|install|i)|yarn|pnpm)\b/.test(c))
        .map((command) => ({ command, line: i.line })),
    );
}

describe.each(Object.entries(IMAGES))('%s', (file, finals) => {
  const stages = dockerfileStages(join(root, file));

  it('is multi-stage: built in one stage, run from another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const target of finals) {
      const names = chain(stages, target).map((s) => s.name);
      expect(names, target).not.toContain('build');
      expect(stages.map((s) => s.name)).toContain(target);
    }
  });

  it.each(finals)('%s runs as a non-root user', (target) => {
    const user = effective(stages, target, 'USER');
    expect(user, `${target} has no USER`).toBeDefined();
    expect(user!.args.split(':')[0]).not.toMatch(/^(root|0)$/);
    // USER is set in the final stage itself, after everything that needs root.
    const own = stages.find((s) => s.name === target)!.instructions;
    const userAt = own.findIndex((i) => i.keyword === 'USER');
    expect(userAt, `${target}: USER in its own stage`).toBeGreaterThanOrEqual(0);
    expect(own.slice(userAt).filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it.each(finals)('%s has a HEALTHCHECK that runs a command', (target) => {
    const hc = effective(stages, target, 'HEALTHCHECK');
    expect(hc, `${target} has no HEALTHCHECK`).toBeDefined();
    expect(hc!.args).toMatch(/\bCMD\b/);
    expect(hc!.args).not.toMatch(/^NONE/i);
    const helper = /"(\/usr\/local\/lib\/switchyard\/healthcheck\.mjs)"/.exec(hc!.args);
    if (helper) {
      const copied = chain(stages, target)
        .flatMap((s) => s.instructions)
        .some((i) => i.keyword === 'COPY' && i.args.endsWith(helper[1]!));
      expect(copied, `${target}: the health-check helper is copied into the image`).toBe(true);
    }
  });

  it.each(finals)('%s carries production dependencies only', (target) => {
    const own = chain(stages, target);
    // Nothing is installed in the final stage's chain but with --omit=dev ...
    for (const stage of own)
      for (const install of npmInstalls(stage))
        expect(install.command, `${file}:${install.line}`).toMatch(/^npm ci .*--omit=dev/);
    // ... and node_modules come from a stage that installs with --omit=dev into the staged tree.
    const copiedFrom = own
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && i.args.includes('--from='))
      .map((i) => /--from=(\S+)/.exec(i.args)![1]!.toLowerCase());
    expect(copiedFrom.length, target).toBeGreaterThan(0);
    for (const from of copiedFrom) {
      const source = chain(stages, from);
      const installs = source.flatMap(npmInstalls);
      expect(installs.length, `${target} copies from ${from}, which installs nothing`).toBe(1);
      expect(installs[0]!.command, `${target} <- ${from}`).toMatch(/^npm ci .*--omit=dev/);
      // That stage starts from the staged runtime tree, not the source checkout.
      const copies = source.flatMap((s) => s.instructions).filter((i) => i.keyword === 'COPY');
      expect(
        copies.map((i) => i.args),
        from,
      ).toEqual(['--from=build /runtime /app']);
    }
  });

  it('the build stage stages the runtime tree with infra/docker/stage-runtime.mjs', () => {
    const build = stages.find((s) => s.name === 'build')!;
    const run = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(run.join(' ')).toMatch(/node infra\/docker\/stage-runtime\.mjs \/runtime$/);
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  it('keeps dependencies, build output, local state and secrets out of the build context', () => {
    for (const p of ['.git', '**/node_modules', '**/dist', '**/.next', '.switchyard', '.env'])
      expect(patterns).toContain(p);
  });
});

describe('infra/docker/stage-runtime.mjs on this checkout', () => {
  let out: string;
  let files: string[];
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'sy-stage-'));
    const r = spawnSync(process.execPath, [join(root, 'infra/docker/stage-runtime.mjs'), out], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    files = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(relative(out, path));
      }
    };
    walk(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds each role entry point, the lockfile, every workspace manifest and the migrations', () => {
    for (const entry of [
      'package.json',
      'package-lock.json',
      'prisma/schema.prisma',
      'apps/control-plane/dist/main.js',
      'apps/control-plane/dist/worker.js',
      'apps/control-plane/dist/bootstrap.js',
      'apps/data-plane/dist/cli.js',
      'apps/edge/dist/main.js',
      'apps/dev-idp/dist/cli.js',
      'libs/db/dist/index.js',
    ])
      expect(files, `${entry} (is the checkout built?)`).toContain(entry);
    expect(files.some((f) => /^prisma\/migrations\/.+\/migration\.sql$/.test(f))).toBe(true);
    // Every workspace manifest: `npm ci` checks the staged tree against the whole lockfile.
    for (const group of ['apps', 'libs'])
      for (const ws of readdirSync(join(root, group)))
        if (existsSync(join(root, group, ws, 'package.json')))
          expect(files).toContain(`${group}/${ws}/package.json`);
  });

  it('leaves sources, tests, dependencies and build caches behind', () => {
    const offending = files.filter(
      (f) =>
        /(^|\/)(node_modules|src|test|\.turbo|coverage)\//.test(f) ||
        /^apps\/web\/\.next\/cache\//.test(f) ||
        /\.test\.[cm]?[jt]sx?$/.test(f) ||
        /(^|\/)tsconfig[^/]*\.json$/.test(f) ||
        /(^|\/)\.env/.test(f),
    );
    expect(offending).toEqual([]);
  });

  it("copies each workspace's runtime data files", () => {
    if (existsSync(join(root, 'libs/contracts/proto')))
      expect(files.some((f) => f.startsWith('libs/contracts/proto/'))).toBe(true);
    for (const ws of ['apps/data-plane', 'apps/edge', 'apps/dev-idp'])
      if (existsSync(join(root, ws, 'bin')))
        expect(files.some((f) => f.startsWith(`${ws}/bin/`))).toBe(true);
  });
});

describe('infra/docker/healthcheck.mjs', () => {
  const servers: Server[] = [];
  const serve = async (status: number) => {
    const server = createServer((_req, res) => res.writeHead(status).end('x'));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  };
  // Asynchronous: the HTTP servers answer from this process's event loop.
  const check = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [HEALTHCHECK, ...args],
        { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 15_000 },
        (error, _stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stderr }),
      );
    });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('http: healthy on 2xx, unhealthy on 5xx, on a redirect and when nothing listens', async () => {
    expect((await check(['http', await serve(200)])).status).toBe(0);
    const failing = await check(['http', await serve(503)]);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/unhealthy: GET .* 503/);
    expect((await check(['http', await serve(302)])).status).toBe(1);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await check(['http', `http://127.0.0.1:${port}/health`])).status).toBe(1);
  });

  it('redis: healthy when the real Redis answers PING, unhealthy when nothing listens', async () => {
    const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    expect((await check(['redis'], { REDIS_URL: redisUrl })).status).toBe(0);
    const down = await check(['redis'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/unhealthy: .*ECONNREFUSED/);
  });

  it('redis: a wrong password is unhealthy (the AUTH error is reported)', async () => {
    const redisUrl = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    redisUrl.username = 'nobody';
    redisUrl.password = 'wrong';
    const r = await check(['redis'], { REDIS_URL: redisUrl.href });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unhealthy: redis: /);
  });

  it('rejects a usage error', async () => {
    expect((await check(['tcp'])).status).toBe(1);
  });
});
