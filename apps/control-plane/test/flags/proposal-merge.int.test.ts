/**
 * Approving and merging are two steps: an approval is pinned to the revision reviewed and merges
 * nothing; merging needs an approval of the proposal's current revision and announces the commit.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChangeEvents } from '../../src/events/change-events.js';
import { FlagCommitter } from '../../src/flags/flag-committer.service.js';
import { readProposal, writeProposal } from '../../src/git-hosting/proposal-meta.js';
import { approveThenMerge, flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

let f: FlagsFixture;
const announced: string[] = [];
beforeAll(async () => {
  f = await flagsFixture([{ key: 'prod', protected: true }]);
  const org = await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } });
  f.t.app.get(ChangeEvents).subscribe(org.id, (e) => {
    if (e.kind === 'environment_changed') announced.push(e.revision);
  });
});
afterAll(async () => {
  await f.t.close();
});

const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

describe('merge once approved', () => {
  it('refuses to merge without an approval of the current revision; an approved proposal merges and is served', async () => {
    const base = f.base('prod');
    const opened = await f.t.call(f.editor, {
      method: 'POST',
      url: `${base}/proposals`,
      body: { title: 'Launch checkout' },
    });
    expect(opened.status).toBe(201);
    const id = opened.json.id as string;
    const put = async (description: string, rev: string) => {
      const res = await f.t.call(f.editor, {
        method: 'PUT',
        url: `${base}/namespaces/default/flags/checkout?proposal=${id}`,
        headers: ifMatch(rev),
        body: variantFlag('checkout', { description }),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json.revision as string;
    };
    const r1 = await put('first', opened.json.revision as string);
    const main = await f.revision('prod');
    const merge = (caller: typeof f.editor, rev?: string) =>
      f.t.call(caller, {
        method: 'POST',
        url: `${base}/proposals/${id}/merge`,
        ...(rev ? { headers: ifMatch(rev) } : {}),
      });
    const detail = async () =>
      (await f.t.call(f.viewer, { method: 'GET', url: `${base}/proposals/${id}` })).json;

    // The detail carries field-level changes per flag and says why it cannot merge yet.
    const fresh = await detail();
    expect(fresh.changes).toEqual([
      {
        namespace: 'default',
        kind: 'flag',
        key: 'checkout',
        status: 'added',
        // An added flag lists its fields.
        changes: expect.arrayContaining([
          { kind: 'added', path: ['key'], after: 'checkout' },
          { kind: 'added', path: ['description'], after: 'first' },
        ]),
      },
    ]);
    expect([fresh.mergeable, fresh.blockers]).toEqual([
      false,
      [
        `needs an approval of its current revision ${r1.slice(0, 12)} by another member (a change withdraws earlier approvals)`,
      ],
    ]);

    // Without an approval: a clear 412; without If-Match 428; a viewer may not merge.
    const unapproved = await merge(f.editor, r1);
    expect([unapproved.status, unapproved.json.message]).toEqual([
      412,
      `the proposal needs an approval of its current revision ${r1} by another member before it is merged (a change withdraws earlier approvals)`,
    ]);
    expect((await merge(f.editor)).status).toBe(428);
    expect((await merge(f.viewer, r1)).status).toBe(403);

    // Approving merges nothing; it is recorded and audited.
    const approve = (rev: string) =>
      f.t.call(f.editor2, {
        method: 'POST',
        url: `${base}/proposals/${id}/approve`,
        headers: ifMatch(rev),
      });
    const approved = await approve(r1);
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json).toMatchObject({
      status: 'open',
      approvals: [{ email: 'editor2@example.com', revision: r1 }],
    });
    expect(await f.revision('prod'), 'approving merges nothing').toBe(main);
    expect((await detail()).mergeable).toBe(true);
    expect(
      await f.t.db.auditEvent.count({ where: { action: 'proposal.approve', targetId: id } }),
    ).toBe(1);

    // A change after the approval withdraws it: the approved revision is stale (409), the new
    // head is not approved (412).
    const r2 = await put('second', r1);
    const withdrawn = await detail();
    expect([withdrawn.approvals, withdrawn.mergeable]).toEqual([[], false]);
    expect(withdrawn.blockers[0]).toContain(
      `needs an approval of its current revision ${r2.slice(0, 12)}`,
    );
    expect(withdrawn.changes[0].changes).toContainEqual({
      kind: 'added',
      path: ['description'],
      after: 'second',
    });
    const stale = await merge(f.editor, r1);
    expect(stale.status).toBe(409);
    expect(stale.json.message).toContain(
      `the proposal changed since you reviewed it (now at ${r2})`,
    );
    const notApproved = await merge(f.editor, r2);
    expect(notApproved.status).toBe(412);
    expect(notApproved.json.message).toContain(`needs an approval of its current revision ${r2}`);
    expect(await f.revision('prod')).toBe(main);

    // Approved again, the author merges: one merge commit of exactly r2, announced and served.
    expect((await approve(r2)).status).toBe(200);
    const merged = await merge(f.editor, r2);
    expect(merged.status, JSON.stringify(merged.json)).toBe(200);
    expect(merged.headers['etag']).toBe(`"${merged.json.revision as string}"`);
    expect(await f.revision('prod')).toBe(merged.json.revision);
    const store = await f.store('prod');
    const parents = (await store.git(['rev-list', '--parents', '-n', '1', merged.json.revision]))
      .toString()
      .trim()
      .split(' ');
    expect(parents.slice(1)).toEqual([main, r2]);
    const message = (
      await store.git(['log', '-1', '--format=%B', merged.json.revision])
    ).toString();
    expect(message).toContain('Approved-By: editor2@example.com');
    expect(message).toContain('Merged-By: editor@example.com');
    await expect.poll(() => announced).toContain(merged.json.revision);
    const served = await f.t.call(f.viewer, {
      method: 'POST',
      url: '/api/v1/orgs/home/playground',
      body: {
        environments: ['prod'],
        flags: [{ namespace: 'default', key: 'checkout' }],
        entityId: 'user-1',
        context: {},
      },
    });
    expect(served.status, JSON.stringify(served.json)).toBe(200);
    expect(served.json.environments[0].revision).toBe(merged.json.revision);
    expect(JSON.stringify(served.json.environments[0])).toContain('checkout');
    const audit = await f.t.db.auditEvent.findFirst({
      where: { action: 'proposal.merge', targetId: id },
    });
    expect(audit?.after).toMatchObject({ revision: merged.json.revision, environment: 'prod' });
    const after = await detail();
    expect([after.status, after.mergedBy.email, after.mergeable]).toEqual([
      'merged',
      'editor@example.com',
      false,
    ]);
    expect((await merge(f.editor, r2)).status, 'merged once only').toBe(412);
  });
});

describe('a merge racing another process', () => {
  it('marks the proposal merged when another process updated its record while the merge commit was written', async () => {
    const base = f.base('prod');
    const opened = await f.t.call(f.editor, {
      method: 'POST',
      url: `${base}/proposals`,
      body: { title: 'Raced' },
    });
    expect(opened.status).toBe(201);
    const id = opened.json.id as string;
    const put = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${base}/namespaces/default/flags/raced?proposal=${id}`,
      headers: ifMatch(opened.json.revision as string),
      body: variantFlag('raced'),
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    // Another process (the write lock is per process) rewrites the record right after the merge
    // commit lands and before this one marks it merged: its compare-and-swap then fails once.
    const store = await f.store('prod');
    const committer = f.t.app.get(FlagCommitter);
    const commit = committer.commit.bind(committer);
    let raced = false;
    const spy = vi.spyOn(committer, 'commit').mockImplementation(async (...args) => {
      const revision = await commit(...args);
      const found = await readProposal(store, id);
      if (!raced && found) {
        raced = true;
        await writeProposal(store, { ...found.record, title: 'Raced, renamed' }, found.blob);
      }
      return revision;
    });
    try {
      const merged = await approveThenMerge(f, 'prod', id, put.json.revision as string);
      expect(raced).toBe(true);
      const detail = await f.t.call(f.viewer, { method: 'GET', url: `${base}/proposals/${id}` });
      // Merged, on top of the other process's version of the record.
      expect([detail.json.status, detail.json.mergedRevision, detail.json.title]).toEqual([
        'merged',
        merged,
        'Raced, renamed',
      ]);
      expect(await f.revision('prod')).toBe(merged);
    } finally {
      spy.mockRestore();
    }
  });
});
