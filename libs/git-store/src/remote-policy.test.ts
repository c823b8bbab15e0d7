import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isSwitchyardError } from '@switchyard/flags';
import { GitStore } from './git-store.js';
import { fetchBranch } from './remote-mirror.js';
import {
  parseRemote,
  pinRemote,
  validateGitSource,
  validateRemoteOnSave,
  type RemotePolicy,
} from './remote-policy.js';

const publicAnswer = () => Promise.resolve(['93.184.216.34']);
const strict: RemotePolicy = { allowedOrigins: [], allowHttp: false, resolve: publicAnswer };

// B10/B11/T4: argument and transport injection, SSRF literals in every spelling.
const REFUSED = [
  'ext::sh -c touch% /tmp/pwned',
  'fd::17',
  '--upload-pack=touch /tmp/pwned',
  '-oProxyCommand=x',
  'file:///etc/passwd',
  '/srv/git/repo.git',
  'git://example.com/r.git',
  'git://localhost:1234/x@github.com/',
  'http://example.com/r.git',
  'https://user:pass@example.com/r.git',
  'https://token@example.com/r.git',
  'https://evil.example.com\\@github.com/r.git',
  'https://127.0.0.%31/r.git',
  'https://127.0.0.1/r.git',
  'https://localhost/r.git',
  'https://LOCALHOST./r.git',
  'https://2130706433/r.git',
  'https://0177.0.0.1/r.git',
  'https://0x7f.1/r.git',
  'https://[::1]/r.git',
  'https://[::127.0.0.1]/r.git',
  'https://[2002:7f00:1::]/r.git',
  'https://[64:ff9b::7f00:1]/r.git',
  'https://[::ffff:127.0.0.1]/r.git',
  'https://192.0.0.1/r.git',
  'https://198.18.0.1/r.git',
  'https://169.254.169.254/latest/meta-data',
  'https://metadata.google.internal/r.git',
  'https://10.0.0.5/r.git',
  'https://[fd00::1]/r.git',
  'https://[fe80::1]/r.git',
  'https://0.0.0.0/r.git',
  'ssh://git@127.0.0.1/r.git',
  'ssh://git@0x7f.1/r.git',
  'ssh://-oProxyCommand=x/r',
  'ssh://git@[::1]/r',
  'git@127.0.0.1:acme/flags.git',
  'git@2130706433:acme/flags.git',
  'git@localhost:acme/flags.git',
  '-oProxyCommand=x:foo',
  'https://example.com/r.git\nhttps://127.0.0.1',
  'https://example.com/r .git',
  '',
];

describe('remote URL policy', () => {
  it.each(REFUSED)('refuses %j without echoing it', async (url) => {
    const err = await validateRemoteOnSave(url, strict).catch((e: unknown) => e);
    expect(isSwitchyardError(err, 'InvalidArgument'), String(err)).toBe(true);
    if (url.length > 3) expect((err as Error).message).not.toContain(url);
    expect((err as { details: unknown[] }).details[0]).toMatchObject({ path: 'url' });
  });

  it.each([
    'https://github.com/acme/flags.git',
    'ssh://git@github.com/acme/flags.git',
    'git@github.com:acme/flags.git',
    'https://8.8.8.8/x.git',
  ])('accepts %s', async (url) => {
    await expect(validateRemoteOnSave(url, strict)).resolves.toBeUndefined();
  });

  it('save time resolves the name: ANY non-public answer refuses it; an unresolvable name waits for connect time', async () => {
    const rebinding = { ...strict, resolve: () => Promise.resolve(['93.184.216.34', '127.0.0.1']) };
    const err = await validateRemoteOnSave('https://evil.example.com/r.git', rebinding).catch(
      (e: unknown) => e,
    );
    expect(isSwitchyardError(err, 'InvalidArgument')).toBe(true);
    const none = { ...strict, resolve: () => Promise.reject(new Error('ENOTFOUND')) };
    await expect(
      validateRemoteOnSave('https://nx.example.com/r.git', none),
    ).resolves.toBeUndefined();
    const err2 = await pinRemote('https://nx.example.com/r.git', none).catch((e: unknown) => e);
    expect(isSwitchyardError(err2, 'Unavailable')).toBe(true);
  });

  it('a name in /etc/hosts that resolves to loopback is refused with the system resolver', async () => {
    const system: RemotePolicy = { allowedOrigins: [], allowHttp: true };
    const err = await validateRemoteOnSave('https://localhost.:1/r.git', system).catch(
      (e: unknown) => e,
    );
    expect(isSwitchyardError(err, 'InvalidArgument')).toBe(true);
    const err2 = await pinRemote('http://vm:9/r.git', system).catch((e: unknown) => e);
    expect(isSwitchyardError(err2, 'InvalidArgument'), String(err2)).toBe(true);
  });

  it('only the exact allow-listed origin may be private (scheme, host and port all count)', async () => {
    const loopback = () => Promise.resolve(['127.0.0.1']);
    const allowed: RemotePolicy = {
      allowedOrigins: ['http://git.test:8080'],
      allowHttp: true,
      resolve: loopback,
    };
    expect(await pinRemote('http://git.test:8080/r.git', allowed)).toMatchObject({
      config: { 'http.curloptResolve': 'git.test:8080:127.0.0.1' },
    });
    for (const url of [
      'http://git.test:8081/r.git',
      'https://git.test:8080/r.git',
      'http://git2.test:8080/r.git',
    ]) {
      const err = await pinRemote(url, allowed).catch((e: unknown) => e);
      expect(isSwitchyardError(err, 'InvalidArgument'), url).toBe(true);
    }
  });

  it('pins every checked address for curl, and ssh to the checked address with the name as host-key alias', async () => {
    const two = {
      ...strict,
      resolve: () => Promise.resolve(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']),
    };
    expect(await pinRemote('https://good.example.com/r.git', two)).toEqual({
      url: 'https://good.example.com/r.git',
      config: {
        'http.curloptResolve':
          'good.example.com:443:93.184.216.34,[2606:2800:220:1:248:1893:25c8:1946]',
      },
      env: {},
    });
    const ssh = await pinRemote('ssh://git@good.example.com:2222/acme/r.git', strict);
    expect(ssh.url).toBe('ssh://git@93.184.216.34:2222/acme/r.git');
    expect(ssh.env['GIT_SSH_COMMAND']).toContain('HostKeyAlias=good.example.com');
    expect((await pinRemote('git@good.example.com:acme/r.git', strict)).url).toBe(
      'git@93.184.216.34:acme/r.git',
    );
  });

  it('git sources: local paths only when allowed; branch and directory rules', () => {
    const local: RemotePolicy = { allowedOrigins: [], allowHttp: true, allowLocal: true };
    expect(validateGitSource({ url: '/srv/flags.git', branch: 'main' }, local).local).toBe(true);
    expect(
      validateGitSource(
        { url: 'file:///srv/flags.git', branch: 'main', directory: './envs/prod/' },
        local,
      ),
    ).toMatchObject({ local: true, directory: 'envs/prod' });
    expect(() => validateGitSource({ url: '/srv/flags.git', branch: 'main' }, strict)).toThrow(
      /local/,
    );
    expect(() =>
      validateGitSource(
        { url: 'https://h.example/x.git', branch: '--upload-pack=x', directory: '../x' },
        strict,
      ),
    ).toThrow(/branch.*directory/);
    expect(parseRemote('https://h.example/x.git', strict).form).toBe('http');
  });

  it('a canary listener on loopback receives nothing from refused remotes (connect-time check)', async () => {
    let hits = 0;
    const canary = createServer((s) => {
      hits += 1;
      s.destroy();
    });
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
    const port = (canary.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'canary-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const store = await GitStore.open(join(dir, 'm.git'));
    const urls = [
      `https://127.0.0.1:${port}/r.git`,
      `https://localhost:${port}/r.git`,
      `https://rebind.example.com:${port}/r.git`,
      `http://127.0.0.1:${port}/r.git`,
    ];
    const loopback = { ...strict, resolve: () => Promise.resolve(['127.0.0.1']) };
    for (const url of urls) {
      const err = await fetchBranch(store, { url, secret: 't', policy: loopback }, 'main').catch(
        (e: unknown) => e,
      );
      expect(isSwitchyardError(err), url).toBe(true);
    }
    await new Promise<void>((r) => canary.close(() => r()));
    expect(hits).toBe(0);
  });
});
