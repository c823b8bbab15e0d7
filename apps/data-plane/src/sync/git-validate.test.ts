import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeRelativePath, isValidBranch, validateGitSource } from './git-validate.js';

const ok = (url: string, extra: { branch?: string; directory?: string } = {}) => validateGitSource({ url, branch: extra.branch ?? 'main', directory: extra.directory });

describe('validateGitSource', () => {
  it.each([
    'https://github.com/acme/flags.git',
    'http://127.0.0.1:8080/flags.git',
    'ssh://git@github.com/acme/flags.git',
    'git@github.com:acme/flags.git',
    '/srv/git/flags.git',
    'file:///srv/git/flags.git',
  ])('accepts %s', (url) => {
    expect(ok(url).url).toBe(url);
  });

  it.each([
    ['ext::sh -c touch% /tmp/pwned', 'remote helper'],
    ['ext::sh', 'remote helper'],
    ['fd::17', 'remote helper'],
    ['--upload-pack=touch /tmp/pwned', 'leading -'],
    ['-u x', 'leading -'],
    ['--config=core.sshCommand=touch /tmp/x', 'leading -'],
    ['git://example.com/flags.git', 'scheme'],
    ['ftp://example.com/flags.git', 'scheme'],
    ['https://user:secret@github.com/acme/flags.git', 'credentials'],
    ['https://token@github.com/acme/flags.git', 'credentials'],
    ['https://github.com/acme/flags.git\n', 'newline'],
    ['https://exa\u0000mple.com/x', 'NUL'],
    ['-oProxyCommand=x:foo', 'scp with leading -'],
    ['relative/path', 'relative path'],
    ['', 'empty'],
  ])('rejects %j (%s) without echoing it', (url) => {
    let err: unknown;
    try {
      ok(url);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'InvalidArgument' });
    if (url.length > 3) expect((err as Error).message).not.toContain(url);
  });

  it('rejects local paths when local sources are not allowed (instance mode)', () => {
    expect(() => validateGitSource({ url: '/srv/flags.git', branch: 'main' }, { allowLocal: false })).toThrow(/local/);
    expect(() => validateGitSource({ url: 'file:///srv/flags.git', branch: 'main' }, { allowLocal: false })).toThrow(/file/);
  });

  describe('B11: tenant-supplied URLs (no local paths, no private hosts)', () => {
    const tenant = (url: string) => validateGitSource({ url, branch: 'main' }, { allowLocal: false, allowPrivateHosts: false });
    it.each([
      'file:///etc',
      '/srv/git/flags.git',
      'http://127.0.0.1/x.git',
      'http://2130706433/x.git',
      'http://0177.0.0.1/x.git',
      'http://0x7f.1/x.git',
      'http://[::1]/x.git',
      'http://[::ffff:127.0.0.1]/x.git',
      'http://[fd00::1]/x.git',
      'http://[fe80::1]/x.git',
      'http://169.254.169.254/latest/meta-data',
      'https://metadata.google.internal/x',
      'https://10.1.2.3/x.git',
      'https://172.20.0.1/x.git',
      'https://192.168.1.1/x.git',
      'https://100.64.0.1/x.git',
      'http://localhost:8080/x.git',
      'https://LOCALHOST./x.git',
      'git://localhost:1/x@github.com/',
      'git@10.0.0.1:acme/flags.git',
      'ssh://git@127.0.0.1/flags.git',
    ])('rejects %s', (url) => {
      expect(() => tenant(url)).toThrow(/InvalidArgument|not allowed|scheme/);
    });
    it.each(['https://github.com/acme/flags.git', 'git@github.com:acme/flags.git', 'https://8.8.8.8/x.git', 'https://[2001:db8::1]/x.git'])('accepts %s', (url) => {
      expect(tenant(url).url).toBe(url);
    });
  });

  it.each(['-b', '--upload-pack=x', 'a..b', 'a/.hidden', 'x.lock', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', '@', 'a@{1}', '/a', 'a/', 'a//b', 'a.', ''])(
    'rejects branch %j',
    (branch) => {
      expect(isValidBranch(branch)).toBe(false);
      expect(() => ok('https://h/x.git', { branch })).toThrow(/branch/);
    },
  );

  it.each(['main', 'release/2024-01', 'feature/a.b', 'flipt/prod/x'])('accepts branch %j', (branch) => {
    expect(isValidBranch(branch)).toBe(true);
  });

  it.each(['../x', 'a/../../b', '.git', 'a/.git/hooks', 'a\\b', '/abs', '-x', 'a/./b'])('rejects directory %j', (directory) => {
    expect(() => ok('https://h/x.git', { directory })).toThrow(/directory/);
  });

  it('normalises the directory', () => {
    expect(ok('https://h/x.git', { directory: './envs/prod/' }).directory).toBe('envs/prod');
    expect(ok('https://h/x.git', { directory: '.' }).directory).toBe('');
  });

  it('never accepts a URL starting with "-" or containing "::" before the scheme (property)', () => {
    fc.assert(
      fc.property(fc.string(), (tail) => {
        for (const url of [`-${tail}`, `ext::${tail}`]) expect(() => ok(url)).toThrow();
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('safe paths never contain a traversal or .git segment (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '..', '.', '.git', '.GIT', 'b\\c', '', 'x.yaml'), { minLength: 1, maxLength: 5 }), (segments) => {
        const path = segments.join('/');
        if (isSafeRelativePath(path)) expect(segments.every((s) => s !== '..' && s !== '.' && s !== '' && s.toLowerCase() !== '.git' && !s.includes('\\'))).toBe(true);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
