import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveThenMerge,
  commitCount,
  flagsFixture,
  variantFlag,
  type FlagsFixture,
} from './flags-helpers.js';

let f: FlagsFixture;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'dev' }, { key: 'prod' }, { key: 'locked', protected: true }]);
});
afterAll(async () => {
  await f.t.close();
});

const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

async function put(env: string, path: string, body: unknown, caller = f.editor) {
  const res = await f.t.call(caller, {
    method: 'PUT',
    url: `${f.base(env)}${path}`,
    headers: ifMatch(await f.revision(env)),
    body,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.revision as string;
}

describe('promotion', () => {
  it('previews, then copies one flag (with its segments) as one commit; a stale target revision is 409', async () => {
    await put('dev', '/namespaces/default/segments/beta', {
      key: 'beta',
      name: 'Beta',
      match_type: 'ALL_MATCH_TYPE',
    });
    await put(
      'dev',
      '/namespaces/default/flags/checkout',
      variantFlag('checkout', {
        rules: [{ segment: 'beta', distributions: [{ variant: 'on', rollout: 100 }] }],
      }),
    );
    await put('dev', '/namespaces/default/flags/unrelated', variantFlag('unrelated'));
    const preview = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/promotions/preview`,
      body: { source: 'dev', namespace: 'default', flag: 'checkout' },
    });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    expect(preview.json.files).toEqual([{ path: 'default/features.yaml', status: 'modified' }]);
    expect(preview.json.patch).toContain('+  - key: checkout');
    expect(preview.json.patch).toContain('+  - key: beta');
    expect(preview.json.patch).not.toContain('unrelated');
    const store = await f.store('prod');
    const count = await commitCount(store);
    expect(await store.head('main'), 'preview writes nothing').toBe(preview.json.targetRevision);
    const res = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/promotions`,
      headers: ifMatch(preview.json.targetRevision),
      body: { source: 'dev', namespace: 'default', flag: 'checkout' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(await commitCount(store)).toBe(count + 1);
    const got = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/namespaces/default/flags/checkout`,
    });
    expect(got.json.flag.rules[0].segment.keys).toEqual(['beta']);
    const stale = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/promotions`,
      headers: ifMatch(preview.json.targetRevision),
      body: { source: 'dev' },
    });
    expect(stale.status).toBe(409);
    expect(await commitCount(store)).toBe(count + 1);
  });

  it('copies everything (new namespaces included) and round-trips with an empty diff', async () => {
    const ns = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('dev')}/namespaces`,
      headers: ifMatch(await f.revision('dev')),
      body: { key: 'mobile', name: 'Mobile' },
    });
    expect(ns.status).toBe(201);
    await put('dev', '/namespaces/mobile/flags/offline', variantFlag('offline'));
    const res = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/promotions`,
      headers: ifMatch(await f.revision('prod')),
      body: { source: 'dev' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const again = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/promotions/preview`,
      body: { source: 'dev' },
    });
    expect(again.json.files).toEqual([]);
    const flags = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/namespaces/mobile/flags`,
    });
    expect(flags.json.flags.map((x: { key: string }) => x.key)).toEqual(['offline']);
  });
});

describe('protected environments and proposals', () => {
  it('refuses direct edits; a proposal is approved by a second member, then merged, and cannot be self-approved', async () => {
    const direct = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('locked')}/namespaces/default/flags/x`,
      headers: ifMatch(await f.revision('locked')),
      body: variantFlag('x'),
    });
    expect(direct.status).toBe(412);
    expect(direct.json.message).toContain('protected');
    const opened = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('locked')}/proposals`,
      body: { title: 'Add x' },
    });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    const id = opened.json.id as string;
    const edit = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('locked')}/namespaces/default/flags/x?proposal=${id}`,
      headers: ifMatch(opened.json.revision),
      body: variantFlag('x'),
    });
    expect(edit.status, JSON.stringify(edit.json)).toBe(200);
    const store = await f.store('locked');
    expect(await store.head('main'), 'the environment branch is untouched').toBe(opened.json.base);
    const detail = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('locked')}/proposals/${id}`,
    });
    expect(detail.json.patch).toContain('+  - key: x');
    const self = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('locked')}/proposals/${id}/approve`,
      headers: ifMatch(edit.json.revision),
    });
    expect(self.status).toBe(403);
    const viewer = await f.t.call(f.viewer, {
      method: 'POST',
      url: `${f.base('locked')}/proposals/${id}/approve`,
      headers: ifMatch(edit.json.revision),
    });
    expect(viewer.status).toBe(403);
    const ok = await f.t.call(f.editor2, {
      method: 'POST',
      url: `${f.base('locked')}/proposals/${id}/approve`,
      headers: ifMatch(edit.json.revision),
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(await store.head('main'), 'approving merges nothing').toBe(opened.json.base);
    const merged = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('locked')}/proposals/${id}/merge`,
      headers: ifMatch(edit.json.revision),
    });
    expect(merged.status, JSON.stringify(merged.json)).toBe(200);
    expect(await store.head('main')).toBe(merged.json.revision);
    const parents = (await store.git(['rev-list', '--parents', '-n', '1', merged.json.revision]))
      .toString()
      .trim()
      .split(' ');
    expect(parents.slice(1)).toEqual([opened.json.base, edit.json.revision]);
    const flag = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('locked')}/namespaces/default/flags/x`,
    });
    expect(flag.status).toBe(200);
    const twice = await f.t.call(f.owner, {
      method: 'POST',
      url: `${f.base('locked')}/proposals/${id}/approve`,
      headers: ifMatch(edit.json.revision),
    });
    expect(twice.status).toBe(412);
  });

  it('conflicting proposals are reported (409), never overwritten', async () => {
    const a = (
      await f.t.call(f.editor, {
        method: 'POST',
        url: `${f.base('locked')}/proposals`,
        body: { title: 'a' },
      })
    ).json;
    const b = (
      await f.t.call(f.editor, {
        method: 'POST',
        url: `${f.base('locked')}/proposals`,
        body: { title: 'b' },
      })
    ).json;
    const pa = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('locked')}/namespaces/default/flags/x?proposal=${a.id}`,
      headers: ifMatch(a.revision),
      body: variantFlag('x', { description: 'from a' }),
    });
    const pb = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('locked')}/namespaces/default/flags/x?proposal=${b.id}`,
      headers: ifMatch(b.revision),
      body: variantFlag('x', { description: 'from b' }),
    });
    expect([pa.status, pb.status]).toEqual([200, 200]);
    await approveThenMerge(f, 'locked', a.id, pa.json.revision);
    const store = await f.store('locked');
    const head = await store.head('main');
    const approved = await f.t.call(f.editor2, {
      method: 'POST',
      url: `${f.base('locked')}/proposals/${b.id}/approve`,
      headers: ifMatch(pb.json.revision),
    });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    const detail = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('locked')}/proposals/${b.id}`,
    });
    expect([detail.json.mergeable, detail.json.blockers]).toEqual([
      false,
      [expect.stringContaining('the proposal conflicts with the environment in ')],
    ]);
    const conflict = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('locked')}/proposals/${b.id}/merge`,
      headers: ifMatch(pb.json.revision),
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json.message).toContain('the proposal conflicts with the environment');
    expect(await store.head('main')).toBe(head);
    const list = await f.t.call(f.viewer, { method: 'GET', url: `${f.base('locked')}/proposals` });
    expect(list.json.items.map((p: { status: string }) => p.status).sort()).toEqual([
      'merged',
      'merged',
      'open',
    ]);
  });

  it('promotion into a protected environment goes through a proposal', async () => {
    const direct = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('locked')}/promotions`,
      headers: ifMatch(await f.revision('locked')),
      body: { source: 'dev' },
    });
    expect(direct.status).toBe(412);
    const p = (
      await f.t.call(f.editor, {
        method: 'POST',
        url: `${f.base('locked')}/proposals`,
        body: { title: 'promote dev' },
      })
    ).json;
    const store = await f.store('locked');
    const before = await store.head('main');
    const res = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('locked')}/promotions?proposal=${p.id}`,
      headers: ifMatch(p.revision),
      body: { source: 'dev', namespace: 'mobile' },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(await store.head('main')).toBe(before);
    expect(await store.head(`switchyard/proposals/${p.id}`)).toBe(res.json.revision);
  });
});
