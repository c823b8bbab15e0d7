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
  f = await flagsFixture([{ key: 'dev' }, { key: 'prod', protected: true }]);
});
afterAll(async () => {
  await f.t.close();
});

const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

async function put(env: string, flag: Record<string, unknown>, query = '') {
  const res = await f.t.call(f.editor, {
    method: 'PUT',
    url: `${f.base(env)}/namespaces/default/flags/${String(flag['key'])}${query}`,
    headers: ifMatch(await f.revision(env)),
    body: flag,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.revision as string;
}

async function flag(env: string, key: string) {
  return f.t.call(f.viewer, {
    method: 'GET',
    url: `${f.base(env)}/namespaces/default/flags/${key}`,
  });
}

describe('restore one flag to a revision', () => {
  it('restores a flag after a neighbour in the same file changed later: no conflict, neighbour untouched', async () => {
    await put('dev', variantFlag('checkout', { description: 'v1' }));
    const v1 = await put('dev', variantFlag('banner', { description: 'first' }));
    await put('dev', variantFlag('checkout', { description: 'v2', enabled: false }));
    // The neighbour changes after the revision we restore from, in the same file.
    await put('dev', variantFlag('banner', { description: 'second' }));
    const store = await f.store('dev');
    const head = await f.revision('dev');
    const count = await commitCount(store);

    // Restore checkout to its state at v1: the later banner edit must neither conflict nor be undone.
    const res = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('dev')}/namespaces/default/flags/checkout/restore`,
      headers: ifMatch(head),
      body: { revision: v1 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.headers['etag']).toBe(`"${res.json.revision}"`);
    expect(await commitCount(store)).toBe(count + 1);
    expect((await flag('dev', 'checkout')).json.flag).toMatchObject({
      description: 'v1',
      enabled: true,
    });
    expect((await flag('dev', 'banner')).json.flag.description).toBe('second');
    const msg = (await store.git(['log', '-1', '--format=%an|%s%n%b', res.json.revision]))
      .toString()
      .trim();
    expect(msg).toContain(`Eddie Editor|Restore flag default/checkout to ${v1.slice(0, 12)}`);
    expect(msg).toContain(`Restores: ${v1}`);
    // The flag as it was at a revision, for history diffs.
    const at = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('dev')}/namespaces/default/flags/checkout/at?revision=${v1}`,
    });
    expect(at.status).toBe(200);
    expect(at.json.flag.description).toBe('v1');
    const before = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('dev')}/namespaces/default/flags/banner/at?revision=${head}`,
    });
    expect(before.json.flag.description).toBe('second');
    // Only the checkout lines changed in the file.
    const patch = (await store.git(['diff', head, res.json.revision])).toString();
    expect(patch).not.toContain('banner');
    expect(patch).toContain('description: v1');
    const audit = await f.t.db.auditEvent.findFirst({
      where: { action: 'flag.restore' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit?.targetId).toBe('dev/default/checkout');
  });

  it('removes a flag that did not exist at the revision, re-adds one that was deleted since', async () => {
    const before = await f.revision('dev');
    const withTemp = await put('dev', variantFlag('temp', { description: 'was here' }));
    const restore = (key: string, revision: string, message?: string) =>
      f.t.call(f.editor, {
        method: 'POST',
        url: `${f.base('dev')}/namespaces/default/flags/${key}/restore`,
        body: { revision, ...(message ? { message } : {}) },
        headers: ifMatch(head),
      });
    let head = await f.revision('dev');
    const removed = await restore('temp', before, 'Drop temp again');
    expect(removed.status, JSON.stringify(removed.json)).toBe(200);
    expect((await flag('dev', 'temp')).status).toBe(404);
    const subject = (await (await f.store('dev')).git(['log', '-1', '--format=%s']))
      .toString()
      .trim();
    expect(subject).toBe('Drop temp again');
    head = removed.json.revision;
    const back = await restore('temp', withTemp);
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    expect((await flag('dev', 'temp')).json.flag.description).toBe('was here');
    // Restoring to the state it already has writes nothing: same revision.
    head = back.json.revision;
    const again = await restore('temp', withTemp);
    expect(again.status).toBe(200);
    expect(again.json.revision).toBe(head);
  });

  it('refuses stale, unknown and never-existing revisions with clear 4xx', async () => {
    const head = await f.revision('dev');
    const url = `${f.base('dev')}/namespaces/default/flags/checkout/restore`;
    const noIfMatch = await f.t.call(f.editor, { method: 'POST', url, body: { revision: head } });
    expect(noIfMatch.status).toBe(428);
    const unknown = await f.t.call(f.editor, {
      method: 'POST',
      url,
      headers: ifMatch(head),
      body: { revision: 'f'.repeat(40) },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json)).toContain('body.revision');
    const never = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('dev')}/namespaces/default/flags/never/restore`,
      headers: ifMatch(head),
      body: { revision: head },
    });
    expect(never.status).toBe(404);
    const viewer = await f.t.call(f.viewer, {
      method: 'POST',
      url,
      headers: ifMatch(head),
      body: { revision: head },
    });
    expect(viewer.status).toBe(403);
  });

  it('goes through a proposal in a protected environment', async () => {
    // Seed prod through a proposal approved by a second member, then merged.
    const open = async (title: string) => {
      const p = await f.t.call(f.editor, {
        method: 'POST',
        url: `${f.base('prod')}/proposals`,
        body: { title },
      });
      expect(p.status).toBe(201);
      return p.json as { id: string; revision: string };
    };
    const approve = async (id: string) => {
      const view = await f.t.call(f.viewer, {
        method: 'GET',
        url: `${f.base('prod')}/proposals/${id}`,
      });
      return approveThenMerge(f, 'prod', id, view.json.revision as string, f.owner);
    };
    const seed = await open('seed');
    let res = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/checkout?proposal=${seed.id}`,
      headers: ifMatch(seed.revision),
      body: variantFlag('checkout', { description: 'old' }),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const old = await approve(seed.id);
    const edit = await open('edit');
    res = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/checkout?proposal=${edit.id}`,
      headers: ifMatch(edit.revision),
      body: variantFlag('checkout', { description: 'new' }),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    await approve(edit.id);

    const direct = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/namespaces/default/flags/checkout/restore`,
      headers: ifMatch(await f.revision('prod')),
      body: { revision: old },
    });
    expect(direct.status).toBe(412);
    expect(direct.json.message).toContain('protected');
    const p = await open('restore checkout');
    const viaProposal = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/namespaces/default/flags/checkout/restore?proposal=${p.id}`,
      headers: ifMatch(p.revision),
      body: { revision: old },
    });
    expect(viaProposal.status, JSON.stringify(viaProposal.json)).toBe(200);
    expect((await flag('prod', 'checkout')).json.flag.description).toBe('new');
    await approve(p.id);
    expect((await flag('prod', 'checkout')).json.flag.description).toBe('old');
  });
});
