/**
 * The environment page's curl snippet, pasted into a shell as a user would: the built edge binary
 * in front of the built data-plane binary (client tokens required), reached through the
 * environment's path-form URL, with the real curl. Both forms are run: the placeholder
 * ($SWITCHYARD_TOKEN from the shell's environment) and a freshly created token written in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startDataPlane, startEdge, type Child } from './processes.js';
import { snippets } from '../../web/src/lib/snippets.js';

const TOKEN = 'sdk-token-for-the-snippet-test';

let dir: string;
let dp: Child & { url: string };
let edge: Child & { url: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-snippets-'));
  const flags = `${ROOT}apps/data-plane/test/fixtures/flags`;
  writeFileSync(
    join(dir, 'dp.json'),
    JSON.stringify({
      dataDir: join(dir, 'dp'),
      logLevel: 'info',
      trustEdgeHeader: true,
      auth: { required: true, tokens: [{ token: TOKEN, environments: ['production'] }] },
      environments: [
        { key: 'production', default: true, source: { type: 'dir', path: flags, watch: false } },
      ],
    }),
  );
  dp = await startDataPlane(join(dir, 'dp.json'));
  // Ready once the flags are loaded (what the edge's own tests wait for).
  for (let i = 0; i < 200 && (await fetch(`${dp.url}/ready`)).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 50));
  edge = await startEdge(join(dir, 'edge'), [
    { orgSlug: 'acme', environments: ['production'], upstream: dp.url },
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([edge?.stop(), dp?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The snippet as the page renders it for the acme/production environment URL of this edge. */
function curlSnippet(opts: { token?: string; flagKey: string }): string {
  const base = `${edge.url}/e/acme/production`;
  const all = snippets({
    envKey: 'production',
    urls: { rest: base, grpc: null, ofrep: `${base}/ofrep/v1` },
    ...opts,
  });
  const curl = all.find((s) => s.id === 'curl');
  expect(curl, 'the page offers a curl snippet').toBeDefined();
  return curl!.code;
}

/** Runs a snippet in sh, as pasted into a terminal; `SWITCHYARD_TOKEN` is the shell's variable. */
function paste(code: string, shellToken?: string): unknown {
  const res = spawnSync('sh', ['-c', code], {
    encoding: 'utf8',
    env: {
      PATH: process.env['PATH'] ?? '',
      ...(shellToken ? { SWITCHYARD_TOKEN: shellToken } : {}),
    },
    timeout: 30_000,
  });
  expect(res.status, `sh exited ${res.status}: ${res.stderr}`).toBe(0);
  return JSON.parse(res.stdout) as unknown;
}

describe("the console's curl snippet against a real stack through the edge", () => {
  it('with the $SWITCHYARD_TOKEN placeholder, the token from the shell evaluates the flag', () => {
    expect(paste(curlSnippet({ flagKey: 'kill-switch' }), TOKEN)).toMatchObject({
      enabled: true,
      flagKey: 'kill-switch',
    });
  });

  it('with a token written in, it evaluates the flag the user named (a disabled flag is false)', () => {
    expect(paste(curlSnippet({ token: TOKEN, flagKey: 'dark-mode' }))).toMatchObject({
      enabled: false,
      flagKey: 'dark-mode',
    });
    expect(paste(curlSnippet({ token: TOKEN, flagKey: 'kill-switch' }))).toMatchObject({
      enabled: true,
    });
  });

  it('without the token in the shell the instance refuses it: the snippet does send the header', () => {
    const out = paste(curlSnippet({ flagKey: 'kill-switch' })) as { code?: number };
    expect(out.code).toBe(16);
  });
});
