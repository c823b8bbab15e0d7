/**
 * Issue 10 item 9, replayed against a control plane serving HTTP on a port with the real git CLI:
 * a reviewer reads a proposal, its author then adds a change (a git push to the proposal branch,
 * or an API edit), and before the fix the reviewer's approval merged the unreviewed change.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  f = await flagsFixture([{ key: 'review' }, { key: 'locked', protected: true }]);
  await f.t.app.listen(0, '127.0.0.1');
  base = (await f.t.app.getUrl()).replace('[::1]', '127.0.0.1');
  scratch = await mkdtemp(join(tmpdir(), 'sy-approve-'));
});
afterAll(async () => {
  await f.t.close();
  await rm(scratch, { recursive: true, force: true });
});

type Json = Record<string, unknown> & { message?: string; revision?: string };
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
  return { status: res.status, json: (await res.json()) as Json };
}
const git = (cwd: string, args: string[]) =>
  exec('git', args, { cwd, env: TEST_GIT_ENV }).then((r) => r.stdout.trim());

/** Opens a proposal on `env` with flag `reviewed` added by the editor; returns its id and head. */
async function proposalWithChange(
  env: string,
): Promise<{ id: string; reviewed: string; path: string }> {
  const path = `/api/v1/orgs/home/environments/${env}`;
  const opened = await http(f.editor.token, 'POST', `${path}/proposals`, { title: 'Add reviewed' });
  expect(opened.status, JSON.stringify(opened.json)).toBe(201);
  const id = opened.json['id'] as string;
  const edit = await http(
    f.editor.token,
    'PUT',
    `${path}/namespaces/default/flags/reviewed?proposal=${id}`,
    variantFlag('reviewed'),
    { 'if-match': opened.json.revision! },
  );
  expect(edit.status, JSON.stringify(edit.json)).toBe(200);
  return { id, reviewed: edit.json.revision!, path };
}

describe('issue 10 item 9: approval is pinned to what was reviewed', () => {
  it('a change pushed to the proposal branch after review is not covered by that approval', async () => {
    const { id, reviewed, path } = await proposalWithChange('review');
    // The reviewer reads the proposal: this is what they approve.
    const seen = await http(f.editor2.token, 'GET', `${path}/proposals/${id}`);
    expect(seen.json.revision).toBe(reviewed);
    expect(seen.json['patch']).toContain('key: reviewed');

    // The author pushes one more change to the proposal branch with git.
    const url = `${base.replace('http://', `http://x:${f.editor.token}@`)}/git/home/review.git`;
    await git(scratch, ['clone', '-q', '-b', `switchyard/proposals/${id}`, url, 'review']);
    const work = join(scratch, 'review');
    const file = join(work, 'default/features.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('key: reviewed', 'key: smuggled'));
    await git(work, ['commit', '-qam', 'after review']);
    await git(work, ['push', '-q', 'origin', `HEAD:refs/heads/switchyard/proposals/${id}`]);
    const smuggled = await git(work, ['rev-parse', 'HEAD']);
    const main = await (await f.store('review')).head('main');

    const unpinned = await http(f.editor2.token, 'POST', `${path}/proposals/${id}/approve`);
    expect([unpinned.status, unpinned.json.message]).toEqual([
      428,
      'If-Match is required: send the revision (ETag) you read',
    ]);
    const stale = await http(
      f.editor2.token,
      'POST',
      `${path}/proposals/${id}/approve`,
      undefined,
      { 'if-match': `"${reviewed}"` },
    );
    expect(stale.status).toBe(409);
    expect(stale.json.message).toContain(
      `the proposal changed since you reviewed it (now at ${smuggled})`,
    );
    expect(await (await f.store('review')).head('main'), 'nothing merged').toBe(main);

    // Reviewing the new head and approving it lets the author merge exactly that revision.
    const again = await http(f.editor2.token, 'GET', `${path}/proposals/${id}`);
    expect(again.json['patch']).toContain('key: smuggled');
    const approved = await http(
      f.editor2.token,
      'POST',
      `${path}/proposals/${id}/approve`,
      undefined,
      { 'if-match': `"${smuggled}"` },
    );
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    const ok = await http(f.editor.token, 'POST', `${path}/proposals/${id}/merge`, undefined, {
      'if-match': `"${smuggled}"`,
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    const merged = await http(f.viewer.token, 'GET', `${path}/proposals/${id}`);
    expect(merged.json['mergedRevision']).toBe(ok.json.revision);
    expect(merged.json['approvals']).toEqual([
      {
        userId: f.editor2.userId,
        email: 'editor2@example.com',
        revision: smuggled,
        approvedAt: expect.any(String),
      },
    ]);
    const parents = (await git(work, ['ls-remote', url, 'refs/heads/main'])).split('\t')[0];
    expect(parents).toBe(ok.json.revision);
  });

  it("an API edit of a protected environment's proposal after review: approving the earlier revision is refused (409); only the new head can be approved", async () => {
    const { id, reviewed, path } = await proposalWithChange('locked');
    const after = await http(
      f.editor.token,
      'PUT',
      `${path}/namespaces/default/flags/later?proposal=${id}`,
      variantFlag('later'),
      { 'if-match': `"${reviewed}"` },
    );
    expect(after.status, JSON.stringify(after.json)).toBe(200);
    const main = await (await f.store('locked')).head('main');
    const stale = await http(
      f.editor2.token,
      'POST',
      `${path}/proposals/${id}/approve`,
      undefined,
      { 'if-match': `"${reviewed}"` },
    );
    expect(stale.status).toBe(409);
    expect(await (await f.store('locked')).head('main')).toBe(main);
    const view = await http(f.viewer.token, 'GET', `${path}/proposals/${id}`);
    expect([view.json['status'], view.json['approvals']]).toEqual(['open', []]);
    const approved = await http(
      f.editor2.token,
      'POST',
      `${path}/proposals/${id}/approve`,
      undefined,
      { 'if-match': `"${after.json.revision!}"` },
    );
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    const ok = await http(f.editor.token, 'POST', `${path}/proposals/${id}/merge`, undefined, {
      'if-match': `"${after.json.revision!}"`,
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    const parents = (
      await (await f.store('locked')).git(['rev-list', '--parents', '-n', '1', ok.json.revision!])
    )
      .toString()
      .trim()
      .split(' ');
    expect(parents.slice(1)).toEqual([main, after.json.revision]);
  });
});
