import { createServer } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSwitchyardError } from '@switchyard/flags';
import { GitStore } from './git-store.js';
import { fetchBranch } from './remote-mirror.js';
import { pinRemote, validateRemoteOnSave, validateRemoteUrl } from './remote-policy.js';

const strict = { allowPrivateHosts: false, allowHttp: false };

// B10/B11/T4: argument and transport injection, SSRF literals in every spelling.
const REFUSED = [
  'ext::sh -c touch% /tmp/pwned',
  'fd::17',
  '--upload-pack=touch /tmp/pwned',
  '-oProxyCommand=x',
  'file:///etc/passwd',
  '/srv/git/repo.git',
  'git://example.com/r.git',
  'ssh://git@example.com/r.git',
  'http://example.com/r.git',
  'https://user:pass@example.com/r.git',
  'https://127.0.0.1/r.git',
  'https://localhost/r.git',
  'https://2130706433/r.git',
  'https://0177.0.0.1/r.git',
  'https://0x7f.1/r.git',
  'https://[::1]/r.git',
  'https://[::ffff:127.0.0.1]/r.git',
  'https://169.254.169.254/latest/meta-data',
  'https://metadata.google.internal/r.git',
  'https://10.0.0.5/r.git',
  'https://192.168.1.1/r.git',
  'https://172.16.0.1/r.git',
  'https://100.64.0.1/r.git',
  'https://[fd00::1]/r.git',
  'https://[fe80::1]/r.git',
  'https://0.0.0.0/r.git',
  'https://example.com/r.git\nhttps://127.0.0.1',
  'https://example.com/r .git',
  '',
];

describe('remote URL policy', () => {
  it.each(REFUSED)('refuses %j', (url) => {
    expect(() => validateRemoteUrl(url, strict)).toThrow(/invalid repository URL/);
  });

  it('save-time: ssh remotes follow the same host rules', () => {
    expect(() => validateRemoteOnSave('ssh://git@github.com/acme/flags.git', strict)).not.toThrow();
    for (const url of [
      'ssh://git@127.0.0.1/r.git',
      'ssh://-oProxyCommand=x/r',
      'ssh://git@169.254.169.254/r',
      'ssh://git@[::1]/r',
    ]) {
      expect(() => validateRemoteOnSave(url, strict), url).toThrow(/invalid repository URL/);
    }
    for (const url of REFUSED.filter((u) => !u.startsWith('ssh://')))
      expect(() => validateRemoteOnSave(url, strict), url).toThrow();
  });

  it('accepts public https remotes', () => {
    expect(validateRemoteUrl('https://github.com/acme/flags.git', strict).hostname).toBe(
      'github.com',
    );
  });

  it('refuses a public name that resolves to a private address (DNS rebinding) and pins public answers', async () => {
    const rebinding = await pinRemote('https://evil.example.com/r.git', strict, () =>
      Promise.resolve(['93.184.216.34', '127.0.0.1']),
    ).catch((e: unknown) => e);
    expect(isSwitchyardError(rebinding, 'InvalidArgument')).toBe(true);
    expect(
      await pinRemote('https://good.example.com/r.git', strict, () =>
        Promise.resolve(['93.184.216.34']),
      ),
    ).toBe('good.example.com:443:93.184.216.34');
  });

  it('a canary listener on loopback receives nothing from refused remotes (connect-time check)', async () => {
    let hits = 0;
    const canary = createServer((s) => {
      hits += 1;
      s.destroy();
    });
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
    const port = (canary.address() as { port: number }).port;
    const store = await GitStore.open(join(await mkdtemp(join(tmpdir(), 'canary-')), 'm.git'));
    const urls = [
      `https://127.0.0.1:${port}/r.git`,
      `https://localhost:${port}/r.git`,
      `https://rebind.example.com:${port}/r.git`,
      `http://127.0.0.1:${port}/r.git`,
    ];
    for (const url of urls) {
      const err = await fetchBranch(
        store,
        { url, secret: 't', policy: strict, resolve: () => Promise.resolve(['127.0.0.1']) },
        'main',
      ).catch((e: unknown) => e);
      expect(isSwitchyardError(err), url).toBe(true);
    }
    await new Promise<void>((r) => canary.close(() => r()));
    expect(hits).toBe(0);
  });
});
