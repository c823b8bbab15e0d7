/**
 * Issue 10, durability: before the fix, deleting the data directory made the control plane
 * re-initialise every hosted repository EMPTY on the next request, silently, while the
 * organisations remained. Replayed against a control plane serving HTTP on a port and the real git
 * CLI: the repository directory is deleted (then replaced by an older copy) under the running
 * process, and everything that touches it must name the loss and re-create nothing.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_GIT_ENV } from '@switchyard/testing';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

const exec = promisify(execFile);
let f: FlagsFixture;
let base: string;
let scratch: string;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'prod' }, { key: 'other' }]);
  await f.t.app.listen(0, '127.0.0.1');
  base = (await f.t.app.getUrl()).replace('[::1]', '127.0.0.1');
  scratch = await mkdtemp(join(tmpdir(), 'sy-durable-'));
});
afterAll(async () => {
  await f.t.close();
  await rm(scratch, { recursive: true, force: true });
});

async function http(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown> & { message?: string },
  };
}

describe('issue 10 durability: a hosted repository the database knows is never re-initialised', () => {
  it('a deleted or older repository is reported by /ready, the environment status and every read and write; nothing is re-created', async () => {
    const token = f.owner.token;
    const env = '/api/v1/orgs/home/environments/prod';
    const edit = async (key: string) => {
      const rev = (await http(token, 'GET', `${env}/namespaces`)).json['revision'] as string;
      const res = await http(
        token,
        'PUT',
        `${env}/namespaces/default/flags/${key}`,
        variantFlag(key),
        { 'if-match': rev },
      );
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json['revision'] as string;
    };
    await edit('first');
    const dir = (await f.store('prod')).dir;
    await cp(dir, join(scratch, 'older.git'), { recursive: true });
    const last = await edit('second');
    expect(await http(token, 'GET', '/api/v1/ready')).toEqual({
      status: 200,
      json: { status: 'ready' },
    });
    expect((await http(token, 'GET', env)).json['storage']).toEqual({
      status: 'ok',
      message: null,
    });

    await rm(dir, { recursive: true, force: true });
    // Members read this: it names the repository inside the data directory, not the server's path.
    const repo = dir.split('/').slice(-3).join('/');
    expect(repo).toMatch(/^hosted\/[^/]+\/[^/]+\.git$/u);
    const lost = `hosted repository ${repo} is missing from the data directory; an operator must restore it from backup`;
    expect(await http(token, 'GET', '/api/v1/ready')).toEqual({
      status: 200,
      json: { status: 'degraded', hostedRepositoriesLost: 1 },
    });
    expect((await http(token, 'GET', env)).json['storage']).toEqual({
      status: 'missing',
      message: lost,
    });
    const list = await http(token, 'GET', '/api/v1/orgs/home/environments');
    expect(
      (list.json['items'] as { key: string; storage: { status: string } }[]).map((e) => [
        e.key,
        e.storage.status,
      ]),
    ).toEqual([
      ['prod', 'missing'],
      ['other', 'ok'],
    ]);
    const read = await http(token, 'GET', `${env}/namespaces/default/flags`);
    expect([read.status, read.json.message]).toEqual([412, lost]);
    const write = await http(
      token,
      'PUT',
      `${env}/namespaces/default/flags/third`,
      variantFlag('third'),
      { 'if-match': last },
    );
    expect([write.status, write.json.message]).toEqual([412, lost]);
    const moved = await http(token, 'PATCH', env, { branch: 'elsewhere' });
    expect([moved.status, moved.json.message]).toEqual([412, lost]);
    const url = `${base.replace('http://', `http://x:${token}@`)}/git/home/prod.git`;
    await expect(
      exec('git', ['clone', '-q', url, join(scratch, 'clone')], { env: TEST_GIT_ENV }),
    ).rejects.toThrow(/412/u);
    expect(existsSync(dir), 'nothing re-created').toBe(false);
    // The other environment of the organisation is unaffected.
    expect(
      (await http(token, 'GET', '/api/v1/orgs/home/environments/other/namespaces')).status,
    ).toBe(200);

    // An older copy put back (a stale restore) lacks the last accepted revision: "behind".
    await cp(join(scratch, 'older.git'), dir, { recursive: true });
    const behind = await http(token, 'GET', env);
    expect(behind.json['storage']).toEqual({
      status: 'behind',
      message: `hosted repository ${repo} is behind: branch main does not contain revision ${last}, the last one accepted; an operator must restore it from backup`,
    });
    expect((await http(token, 'GET', `${env}/namespaces`)).status).toBe(412);
    expect((await http(token, 'GET', '/api/v1/ready')).json).toEqual({
      status: 'degraded',
      hostedRepositoriesLost: 1,
    });
  });
});
