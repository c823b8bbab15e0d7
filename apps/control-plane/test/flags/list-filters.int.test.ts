import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

let f: FlagsFixture;
beforeAll(async () => {
  f = await flagsFixture();
});
afterAll(async () => {
  await f.t.close();
});

const flagsUrl = () => `${f.base('prod')}/namespaces/default/flags`;

async function put(flag: Record<string, unknown>, query = '') {
  const res = await f.t.call(f.editor, {
    method: 'PUT',
    url: `${flagsUrl()}/${flag['key'] as string}${query}`,
    headers: { 'if-match': `"${await f.revision('prod')}"` },
    body: flag,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.revision as string;
}

async function list(query: string): Promise<string[]> {
  const res = await f.t.call(f.viewer, { method: 'GET', url: `${flagsUrl()}?${query}` });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json.flags as { key: string }[]).map((x) => x.key);
}

describe('flag list search and filters; commit summaries from ?message', () => {
  it('takes the commit summary from ?message', async () => {
    const rev = await put(
      variantFlag('checkout', { name: 'New checkout', metadata: { team: 'pay', tier: 1 } }),
      `?message=${encodeURIComponent('Launch the new checkout')}`,
    );
    const subject = (await (await f.store('prod')).git(['log', '-1', '--format=%s', rev]))
      .toString()
      .trim();
    expect(subject).toBe('Launch the new checkout');
  });

  it('searches and filters on the server, every criterion together', async () => {
    await put({ key: 'dark-mode', name: 'Dark mode', type: 'BOOLEAN_FLAG_TYPE' });
    await put(variantFlag('search', { metadata: { team: 'core' } }));
    expect(await list('')).toEqual(['checkout', 'dark-mode', 'search']);
    expect(await list('q=CHECK')).toEqual(['checkout']);
    expect(await list('type=BOOLEAN_FLAG_TYPE')).toEqual(['dark-mode']);
    expect(await list('enabled=true&metadata=team')).toEqual(['checkout', 'search']);
    expect(await list('metadata=tier%3D1')).toEqual(['checkout']);
  });

  it('refuses a bad filter with a 400 naming the parameter', async () => {
    const res = await f.t.call(f.viewer, { method: 'GET', url: `${flagsUrl()}?enabled=yes` });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.details)).toContain('enabled');
  });
});
