import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '@switchyard/flags';
import { gitProcessesStarted } from '@switchyard/git-store';
import { commitCount, flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

let f: FlagsFixture;
beforeAll(async () => {
  f = await flagsFixture();
});
afterAll(async () => {
  await f.t.close();
});

const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

describe('flag API: one validated commit per mutation', () => {
  it('a new environment starts with the v2 default layout and reads return the revision as ETag', async () => {
    const initial = await (await f.store('prod')).head('main');
    expect(initial, 'initialised when the environment was created').toMatch(/^[0-9a-f]{40}$/);
    const res = await f.t.call(f.viewer, { method: 'GET', url: `${f.base('prod')}/namespaces` });
    expect(res.status).toBe(200);
    expect(res.json.namespaces).toEqual([{ key: 'default', name: 'Default' }]);
    expect(res.json.revision).toBe(initial);
    expect(res.headers['etag']).toBe(`"${res.json.revision}"`);
    const tree = await (await f.store('prod')).readTree(res.json.revision);
    expect([...tree.keys()]).toEqual(['default/features.yaml']);
    expect(tree.get('default/features.yaml')!.toString()).toContain('version: "1.4"');
  });

  it('PUT flag writes exactly one commit authored by the caller with the flag in the namespace file', async () => {
    const store = await f.store('prod');
    const rev0 = await f.revision('prod');
    const before = await commitCount(store);
    const res = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/checkout`,
      headers: ifMatch(rev0),
      body: variantFlag('checkout'),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.headers['etag']).toBe(`"${res.json.revision}"`);
    expect(await commitCount(store)).toBe(before + 1);
    expect(await store.head('main')).toBe(res.json.revision);
    const who = (await store.git(['log', '-1', '--format=%an|%ae|%cn|%ce|%s', res.json.revision]))
      .toString()
      .trim();
    expect(who).toBe(
      'Eddie Editor|editor@example.com|Eddie Editor|editor@example.com|Put flag default/checkout',
    );
    const file = (await store.readTree(res.json.revision)).get('default/features.yaml')!.toString();
    expect(file).toContain('key: checkout');
    const got = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/namespaces/default/flags/checkout`,
    });
    expect(got.json.flag).toMatchObject({
      key: 'checkout',
      enabled: true,
      variants: [{ key: 'on' }, { key: 'off' }],
    });
    const audit = await f.t.db.auditEvent.findFirst({
      where: { action: 'flag.put' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit?.after).toMatchObject({ revision: res.json.revision });
  });

  it('an edit starts one git process, the ref update (process start-up was most of an edit’s time)', async () => {
    const rev = await f.revision('prod');
    // Warm: the repository's object reader is running, as it is on a control plane in use.
    await f.t.call(f.viewer, { method: 'GET', url: `${f.base('prod')}/namespaces/default/flags` });
    const before = gitProcessesStarted();
    const res = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/one-process`,
      headers: ifMatch(rev),
      body: variantFlag('one-process'),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(gitProcessesStarted() - before).toBe(1);
  });

  it('stale If-Match → 409 with the current revision, missing → 428, and nothing is written', async () => {
    const store = await f.store('prod');
    const current = await f.revision('prod');
    const count = await commitCount(store);
    const stale = (await store.git(['rev-parse', `${current}~1`])).toString().trim();
    const res = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/other`,
      headers: ifMatch(stale),
      body: variantFlag('other'),
    });
    expect(res.status).toBe(409);
    expect(res.json.currentRevision).toBe(current);
    const missing = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/other`,
      body: variantFlag('other'),
    });
    expect(missing.status).toBe(428);
    expect(await commitCount(store)).toBe(count);
  });

  it('an invalid change → 400 with file/field paths and nothing is written', async () => {
    const store = await f.store('prod');
    const rev = await f.revision('prod');
    const count = await commitCount(store);
    const bad = variantFlag('broken', {
      rules: [{ segment: 'nobody', distributions: [{ variant: 'missing', rollout: 100 }] }],
    });
    const res = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/broken`,
      headers: ifMatch(rev),
      body: bad,
    });
    expect(res.status).toBe(400);
    expect(
      res.json.details.some(
        (d: { file?: string; path: string }) =>
          d.file === 'default/features.yaml' && d.path.includes('rules'),
      ),
    ).toBe(true);
    const schemaBad = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/x`,
      headers: ifMatch(rev),
      body: { key: 'x', name: 'x', type: 'NOPE' },
    });
    expect(schemaBad.status).toBe(400);
    expect(await commitCount(store)).toBe(count);
    expect(await store.head('main')).toBe(rev);
  });

  it('segments, rules (reorder), boolean rollouts, namespaces: each one commit; viewers cannot write', async () => {
    const store = await f.store('prod');
    const put = async (
      url: string,
      body: unknown,
      method: 'PUT' | 'POST' | 'PATCH' | 'DELETE' = 'PUT',
    ) => {
      const before = await commitCount(store);
      const res = await f.t.call(f.editor, {
        method,
        url: `${f.base('prod')}${url}`,
        headers: ifMatch(await f.revision('prod')),
        ...(body === undefined ? {} : { body }),
      });
      expect(res.status, `${url}: ${JSON.stringify(res.json)}`).toBe(method === 'POST' ? 201 : 200);
      expect(await commitCount(store)).toBe(before + 1);
      return res;
    };
    await put('/namespaces/default/segments/beta', {
      key: 'beta',
      name: 'Beta',
      match_type: 'ALL_MATCH_TYPE',
      constraints: [
        { type: 'STRING_COMPARISON_TYPE', property: 'plan', operator: 'eq', value: 'pro' },
      ],
    });
    await put('/namespaces/default/segments/staff', {
      key: 'staff',
      name: 'Staff',
      match_type: 'ANY_MATCH_TYPE',
    });
    await put('/namespaces/default/flags/checkout/rules', {
      rules: [
        { segment: 'beta', distributions: [{ variant: 'on', rollout: 100 }] },
        { segment: 'staff', distributions: [{ variant: 'off', rollout: 100 }] },
      ],
    });
    await put('/namespaces/default/flags/checkout/rules', {
      rules: [
        { segment: 'staff', distributions: [{ variant: 'off', rollout: 100 }] },
        { segment: 'beta', distributions: [{ variant: 'on', rollout: 100 }] },
      ],
    });
    const rules = (
      await f.t.call(f.viewer, {
        method: 'GET',
        url: `${f.base('prod')}/namespaces/default/flags/checkout`,
      })
    ).json.flag.rules;
    expect(rules.map((r: { segment: { keys: string[] } }) => r.segment.keys[0])).toEqual([
      'staff',
      'beta',
    ]);
    await put('/namespaces/default/flags/dark-mode', {
      key: 'dark-mode',
      name: 'Dark',
      type: 'BOOLEAN_FLAG_TYPE',
      enabled: true,
    });
    await put('/namespaces/default/flags/dark-mode/rollouts', {
      rollouts: [
        { threshold: { percentage: 50, value: true } },
        { segment: { key: 'beta', value: true } },
      ],
    });
    await put('/namespaces', { key: 'mobile', name: 'Mobile' }, 'POST');
    await put(
      '/namespaces/mobile',
      { name: 'Mobile apps', description: 'iOS and Android' },
      'PATCH',
    );
    await put('/namespaces/mobile/flags/offline', variantFlag('offline'));
    const tree = await store.readTree((await store.head('main'))!);
    expect(tree.get('mobile/features.yaml')!.toString()).toContain('name: Mobile apps');
    await put('/namespaces/mobile', undefined, 'DELETE');
    expect((await store.readTree((await store.head('main'))!)).has('mobile/features.yaml')).toBe(
      false,
    );
    const used = await f.t.call(f.editor, {
      method: 'DELETE',
      url: `${f.base('prod')}/namespaces/default/segments/beta`,
      headers: ifMatch(await f.revision('prod')),
    });
    expect(used.status, 'a segment used by rules cannot be deleted').toBe(400);
    const denied = await f.t.call(f.viewer, {
      method: 'PUT',
      url: `${f.base('prod')}/namespaces/default/flags/v`,
      headers: ifMatch(await f.revision('prod')),
      body: variantFlag('v'),
    });
    expect(denied.status).toBe(403);
    // The whole tree still loads as a Flipt environment (what the data plane's sync does).
    const loaded = loadEnvironment(await store.readTree((await store.head('main'))!));
    expect(loaded.ok).toBe(true);
    // Each kind of edit has its own audit action (rules and rollouts are told apart).
    const actions = await f.t.db.auditEvent.findMany({
      where: { action: { startsWith: 'flag.' }, targetId: { contains: '/default/' } },
      select: { action: true, targetId: true },
    });
    const byFlag = (key: string) =>
      new Set(actions.filter((a) => a.targetId.endsWith(`/${key}`)).map((a) => a.action));
    expect(byFlag('checkout')).toEqual(new Set(['flag.put', 'flag.rules.set']));
    expect(byFlag('dark-mode')).toEqual(new Set(['flag.put', 'flag.rollouts.set']));
  });

  it('history (per flag, paginated), diff and revert round-trip', async () => {
    const store = await f.store('prod');
    const h = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/history?namespace=default&flag=checkout&limit=2`,
    });
    expect(h.status).toBe(200);
    expect(h.json.commits.map((c: { summary: string }) => c.summary)).toEqual([
      'Set rules of flag default/checkout',
      'Set rules of flag default/checkout',
    ]);
    const h2 = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/history?namespace=default&flag=checkout&limit=2&cursor=${h.json.next}`,
    });
    expect(h2.json.commits.map((c: { summary: string }) => c.summary)).toEqual([
      'Put flag default/checkout',
    ]);
    expect(h2.json.next).toBeNull();
    const putFlag = h2.json.commits[0].revision as string;
    const d = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/diff?from=${h2.json.commits[0].parents[0]}&to=${putFlag}`,
    });
    expect(d.json.files).toEqual([{ path: 'default/features.yaml', status: 'modified' }]);
    expect(d.json.patch).toContain('+  - key: checkout');
    // Revert the latest rules edit: the previous order comes back, as one new commit.
    const head = await f.revision('prod');
    const count = await commitCount(store);
    const rv = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/revert`,
      headers: ifMatch(head),
      body: { revision: h.json.commits[0].revision },
    });
    expect(rv.status, JSON.stringify(rv.json)).toBe(200);
    expect(await commitCount(store)).toBe(count + 1);
    const rules = (
      await f.t.call(f.viewer, {
        method: 'GET',
        url: `${f.base('prod')}/namespaces/default/flags/checkout`,
      })
    ).json.flag.rules;
    expect(rules.map((r: { segment: { keys: string[] } }) => r.segment.keys[0])).toEqual([
      'beta',
      'staff',
    ]);
    // Reverting the flag's creation now would leave rules of a missing flag? No: it removes the flag, and validation decides.
    const staleRevert = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('prod')}/revert`,
      headers: ifMatch(head),
      body: { revision: putFlag },
    });
    expect(staleRevert.status).toBe(409);
  });

  it('flag history is by content: a commit made outside Switchyard that changes the flag is listed', async () => {
    const store = await f.store('prod');
    const head = (await store.head('main'))!;
    const file = (await store.readTree(head)).get('default/features.yaml')!.toString();
    expect(file).toContain('    name: checkout\n');
    const changed = file.replace(
      '    name: checkout\n',
      '    name: checkout\n    description: edited outside\n',
    );
    const outside = await store.commit({
      branch: 'main',
      base: head,
      changes: new Map([['default/features.yaml', changed]]),
      author: { name: 'CLI', email: 'cli@example.com' },
      message: 'hand edit',
    });
    const h = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/history?namespace=default&flag=checkout&limit=1`,
    });
    expect(h.json.commits.map((c: { revision: string }) => c.revision)).toEqual([outside]);
    const other = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('prod')}/history?namespace=default&flag=dark-mode&limit=10`,
    });
    expect(other.json.commits.map((c: { revision: string }) => c.revision)).not.toContain(outside);
    expect(other.json.commits.map((c: { summary: string }) => c.summary)).toEqual([
      'Set rollouts of flag default/dark-mode',
      'Put flag default/dark-mode',
    ]);
  });
});
