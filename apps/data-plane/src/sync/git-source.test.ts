import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitSource } from './git-source.js';
import { SourceError } from './sync-source.js';

// The rules every git source follows now that the data plane uses libs/git-store's policy: each
// was enforced by only one of the two former copies (branch length and leading "-" paths by the
// control plane's, NAT64 and resolve-then-check by the data plane's).
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sy-git-source-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const source = (over: { url?: string; branch?: string; directory?: string }) =>
  createGitSource({
    envKey: 'default',
    source: {
      type: 'git',
      url: over.url ?? 'https://git.example.com/flags.git',
      branch: over.branch ?? 'main',
      ...(over.directory !== undefined ? { directory: over.directory } : {}),
      pollIntervalMs: 30_000,
    },
    dataDir,
    allowLocal: false,
    // Names below resolve only through this resolver: nothing is ever connected to.
    resolveHost: (host) =>
      Promise.resolve(
        host === 'inside.example.com'
          ? ['10.0.0.7']
          : host === 'nat64.example.com'
            ? ['64:ff9b::a00:7']
            : ['93.184.216.34'],
      ),
  });

describe('git source validation (libs/git-store rules)', () => {
  it('accepts a 200-character branch and refuses a 201-character one', () => {
    expect(() => source({ branch: 'b'.repeat(200) })).not.toThrow();
    expect(() => source({ branch: 'b'.repeat(201) })).toThrow(/branch: not a valid branch name/);
  });

  it('refuses a branch or directory that starts with "-" (it could reach git as an option)', () => {
    expect(() => source({ branch: '-upload-pack=x' })).toThrow(/branch/);
    expect(() => source({ directory: '-n' })).toThrow(/directory/);
    expect(() => source({ directory: 'flags/-n' })).not.toThrow();
  });

  it('refuses NAT64 literals of private addresses', () => {
    expect(() => source({ url: 'https://[64:ff9b::a00:1]/flags.git' })).toThrow(
      /host is not allowed/,
    );
    expect(() => source({ url: 'https://[64:ff9b::7f00:1]/flags.git' })).toThrow(
      /host is not allowed/,
    );
  });

  it('refuses, before connecting, a name that resolves to a private or NAT64-private address', async () => {
    for (const host of ['inside.example.com', 'nat64.example.com']) {
      const s = source({ url: `https://${host}/flags.git` });
      const failure = await s.fetchHead(new AbortController().signal).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SourceError);
      expect((failure as SourceError).message).toMatch(
        /git fetch refused: .*resolves to a non-public address/,
      );
    }
  });
});
