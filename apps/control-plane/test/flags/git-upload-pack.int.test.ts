import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { UploadPack } from '../../src/git-hosting/upload-pack.js';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

/**
 * Fetches are served by upload-pack directly (upload-pack.ts), not through git http-backend: real
 * git clients of both protocol versions, gzip request bodies, the Git-Protocol header's checks and
 * the cached v2 advertisement.
 */
const exec = promisify(execFile);
let f: FlagsFixture;
let base: string;
let dir: string;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'prod' }]);
  await f.t.app.listen(0, '127.0.0.1');
  base = (await f.t.app.getUrl()).replace('[::1]', '127.0.0.1');
  dir = await mkdtemp(join(tmpdir(), 'upload-pack-'));
});
afterAll(async () => {
  await f.t.close();
  await rm(dir, { recursive: true, force: true });
});

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  exec('git', args, { cwd, env: { ...TEST_GIT_ENV, ...env } });
const remote = () => `${base.replace('http://', `http://x:${f.viewer.token}@`)}/git/home/prod.git`;
const endpoint = (path: string) => `${base}/git/home/prod.git/${path}`;
const auth = () => ({
  authorization: `Basic ${Buffer.from(`x:${f.viewer.token}`).toString('base64')}`,
});

async function editFlag(key: string): Promise<string> {
  const put = await f.t.call(f.editor, {
    method: 'PUT',
    url: `${f.base('prod')}/namespaces/default/flags/${key}`,
    headers: { 'if-match': await f.revision('prod') },
    body: variantFlag(key),
  });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  return put.json.revision as string;
}

function pkt(line: string): string {
  return (line.length + 4).toString(16).padStart(4, '0') + line;
}

async function advertisement(protocol?: string): Promise<Response> {
  return fetch(endpoint('info/refs?service=git-upload-pack'), {
    headers: { ...auth(), ...(protocol === undefined ? {} : { 'git-protocol': protocol }) },
  });
}

describe('fetches served by upload-pack', () => {
  for (const version of ['2', '0']) {
    it(`git clone and git fetch work with protocol version ${version}`, async () => {
      const c = ['-c', `protocol.version=${version}`];
      const work = join(dir, `v${version}`);
      const trace = await git(dir, [...c, 'clone', '-q', remote(), work], {
        GIT_TRACE_PACKET: '1',
      });
      // The client really spoke the version asked for (v2 answers start with `version 2`).
      expect(trace.stderr.includes('< version 2'), trace.stderr.slice(0, 2000)).toBe(
        version === '2',
      );
      expect((await git(work, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(await f.revision('prod'));
      const edited = await editFlag(`fetched-v${version}`);
      await git(work, [...c, 'fetch', '-q', 'origin']);
      expect((await git(work, ['rev-parse', 'origin/main'])).stdout.trim()).toBe(edited);
      const listed = await git(dir, [...c, 'ls-remote', remote(), 'refs/heads/main']);
      expect(listed.stdout).toBe(`${edited}\trefs/heads/main\n`);
    });
  }

  it('answers with http-backend headers; a v0 advertisement starts with the service line', async () => {
    const res = await advertisement();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    expect(res.headers.get('cache-control')).toBe('no-cache, max-age=0, must-revalidate');
    expect(res.headers.get('expires')).toBe('Fri, 01 Jan 1980 00:00:00 GMT');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    const body = await res.text();
    expect(body.startsWith('001e# service=git-upload-pack\n0000')).toBe(true);
    expect(body).toContain(`${await f.revision('prod')} refs/heads/main`);
  });

  it('ignores a malformed Git-Protocol header (v0 answer), and reads a list as git does', async () => {
    const head = await f.revision('prod');
    for (const bad of [
      'version=2;id',
      'version=2,x',
      'side-band=1',
      'version=2:x=1',
      'version=9',
    ]) {
      const res = await advertisement(bad);
      expect(res.status, bad).toBe(200);
      const body = await res.text();
      expect(body.startsWith('001e# service=git-upload-pack\n0000'), bad).toBe(true);
      expect(body, bad).toContain(`${head} refs/heads/main`);
    }
    const v2 = await (await advertisement('version=1:version=2')).text();
    expect(v2.startsWith('000eversion 2\n')).toBe(true);
    expect(v2).not.toContain('refs/heads/main');
  });

  it('the second v2 advertisement starts no process; v0 advertisements are never cached', async () => {
    const uploadPack = f.t.app.get(UploadPack);
    const first = await (await advertisement('version=2')).text();
    const spawned = uploadPack.spawned;
    const res = await advertisement('version=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    expect(await res.text()).toBe(first);
    expect(uploadPack.spawned).toBe(spawned);
    await (await advertisement()).text();
    await (await advertisement()).text();
    expect(uploadPack.spawned).toBe(spawned + 2);
    // Authorisation still runs first: no token, no (cached) advertisement.
    const anonymous = await fetch(endpoint('info/refs?service=git-upload-pack'), {
      headers: { 'git-protocol': 'version=2' },
    });
    expect(anonymous.status).toBe(401);
  });

  it('inflates a gzip request body; refuses other encodings and broken gzip', async () => {
    const lsRefs = pkt('command=ls-refs\n') + '0001' + pkt('peel\n') + '0000';
    const post = (body: Uint8Array | string, encoding?: string) =>
      fetch(endpoint('git-upload-pack'), {
        method: 'POST',
        headers: {
          ...auth(),
          'git-protocol': 'version=2',
          'content-type': 'application/x-git-upload-pack-request',
          ...(encoding ? { 'content-encoding': encoding } : {}),
        },
        body,
      });
    const res = await post(gzipSync(lsRefs), 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    expect(await res.text()).toContain(`${await f.revision('prod')} refs/heads/main\n`);

    const br = await post(lsRefs, 'br');
    expect(br.status).toBe(415);
    expect(await br.text()).toContain("Content-Encoding 'br' is not supported");
    const broken = await post('not gzip at all', 'gzip');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('not valid gzip');
    // Over 10 MiB once inflated (http-backend's request limit), however small on the wire: an
    // ls-refs command with 200,000 arguments (upload-pack reads them all before answering).
    const prefixes = pkt('ref-prefix refs/heads/a-long-prefix-that-matches-nothing\n').repeat(2e5);
    const bomb = await post(
      gzipSync(pkt('command=ls-refs\n') + '0001' + prefixes + '0000'),
      'gzip',
    );
    expect(bomb.status).toBe(413);
    expect((await post(lsRefs, 'gzip, br')).status).toBe(415);
  });

  it('a real fetch with many haves (gzipped by git) works', async () => {
    const work = join(dir, 'many-haves');
    await git(dir, ['clone', '-q', remote(), work]);
    // 300 local commits the server has never seen, newer than its own (the negotiation walks them
    // first): later rounds carry enough haves for git to gzip the request.
    await fastImportCommits(work, 300);
    const edited = await editFlag('after-many-haves');
    const fetched = await git(work, ['fetch', 'origin'], { GIT_TRACE_CURL: '1' });
    expect(fetched.stderr).toMatch(/Send header: Content-Encoding: gzip/i);
    expect((await git(work, ['rev-parse', 'origin/main'])).stdout.trim()).toBe(edited);
  });
});

/** Adds `n` commits on `refs/heads/main` of the clone in one git process (fast-import). */
async function fastImportCommits(work: string, n: number): Promise<void> {
  let stream = '';
  for (let i = 0; i < n; i++) {
    const message = `local ${i}`;
    stream +=
      `commit refs/heads/main\ncommitter T <t@switchyard.invalid> ${2_000_000_000 + i} +0000\n` +
      `data ${message.length}\n${message}\n` +
      (i === 0 ? 'from refs/heads/main^0\n' : '') +
      `M 644 inline local-${i}.txt\ndata 1\n${i % 10}\n\n`;
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: work, env: TEST_GIT_ENV });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`fast-import ${code}`)),
    );
    child.stdin.end(stream);
  });
}
