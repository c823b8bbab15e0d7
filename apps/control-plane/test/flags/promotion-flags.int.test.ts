import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitCount, flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

let f: FlagsFixture;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'dev' }, { key: 'staging' }]);
});
afterAll(async () => {
  await f.t.close();
});

const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

describe('promotion of selected flags', () => {
  it('copies several flags of a namespace as one commit and leaves the others alone', async () => {
    for (const key of ['a', 'b', 'c']) {
      const res = await f.t.call(f.editor, {
        method: 'PUT',
        url: `${f.base('dev')}/namespaces/default/flags/${key}`,
        headers: ifMatch(await f.revision('dev')),
        body: variantFlag(key, { description: `from dev ${key}` }),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
    const body = { source: 'dev', namespace: 'default', flags: ['a', 'c'] };
    const preview = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('staging')}/promotions/preview`,
      body,
    });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    expect(preview.json.patch).toContain('key: a');
    expect(preview.json.patch).toContain('key: c');
    expect(preview.json.patch).not.toContain('key: b');
    expect(
      preview.json.changes.map((c: { key: string; status: string }) => [c.key, c.status]),
    ).toEqual([
      ['a', 'added'],
      ['c', 'added'],
    ]);
    const store = await f.store('staging');
    const count = await commitCount(store);
    const res = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('staging')}/promotions`,
      headers: ifMatch(preview.json.targetRevision),
      body,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(await commitCount(store)).toBe(count + 1);
    const subject = (await store.git(['log', '-1', '--format=%s'])).toString().trim();
    expect(subject).toBe('Promote flags default/a, default/c from dev');
    const list = await f.t.call(f.viewer, {
      method: 'GET',
      url: `${f.base('staging')}/namespaces/default/flags`,
    });
    expect(list.json.flags.map((x: { key: string }) => x.key)).toEqual(['a', 'c']);

    // A later edit in dev previews as the one field it changes, per flag.
    const edited = await f.t.call(f.editor, {
      method: 'PUT',
      url: `${f.base('dev')}/namespaces/default/flags/a`,
      headers: ifMatch(await f.revision('dev')),
      body: variantFlag('a', { description: 'edited in dev' }),
    });
    expect(edited.status).toBe(200);
    const fields = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('staging')}/promotions/preview`,
      body,
    });
    expect(fields.json.changes).toEqual([
      {
        namespace: 'default',
        kind: 'flag',
        key: 'a',
        status: 'modified',
        changes: [
          { kind: 'changed', path: ['description'], before: 'from dev a', after: 'edited in dev' },
        ],
      },
    ]);

    const both = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('staging')}/promotions/preview`,
      body: { ...body, flag: 'a' },
    });
    expect(both.status).toBe(400);
    const noNs = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('staging')}/promotions/preview`,
      body: { source: 'dev', flags: ['a'] },
    });
    expect(noNs.status).toBe(400);
    const missing = await f.t.call(f.editor, {
      method: 'POST',
      url: `${f.base('staging')}/promotions/preview`,
      body: { source: 'dev', namespace: 'default', flags: ['a', 'zz'] },
    });
    expect(missing.status).toBe(404);
  });
});
