/**
 * Flipt v1 read-only REST through a real instance: namespaces, segments, rules and rollouts in
 * Flipt's JSON shapes and paging, and Flipt's message for a bad page token. The @flipt-io/flipt
 * SDK has no calls for these (only flags), so they are raw HTTP against Flipt's documented shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, TOKENS, type TestInstance } from './helpers/in-process.js';

let t: TestInstance;
beforeAll(async () => {
  t = await startInProcess();
});
afterAll(() => t.dp.close());

async function get(path: string, token = TOKENS.all) {
  const r = await fetch(t.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('Flipt v1 read API', () => {
  it('lists and gets namespaces, limited to what the token may read', async () => {
    const all = await get('/api/v1/namespaces');
    expect(all).toEqual({
      status: 200,
      body: {
        namespaces: [
          { key: 'default', name: 'Default', description: '', protected: false },
          expect.objectContaining({ key: 'other', protected: false }),
        ],
        nextPageToken: '',
        totalCount: 2,
      },
    });
    const scoped = await get('/api/v1/namespaces', TOKENS.otherNs);
    expect((scoped.body['namespaces'] as Array<{ key: string }>).map((n) => n.key)).toEqual([
      'other',
    ]);
    const paged = await get('/api/v1/namespaces?limit=1');
    expect(paged.body).toMatchObject({ nextPageToken: '1', totalCount: 2 });
    expect((await get('/api/v1/namespaces/default')).body).toEqual({
      key: 'default',
      name: 'Default',
      description: '',
      protected: false,
    });
    expect((await get('/api/v1/namespaces/nope')).status).toBe(404);
  });

  it('lists and gets segments with their constraints', async () => {
    const list = await get('/api/v1/namespaces/default/segments');
    expect(list.status).toBe(200);
    expect((list.body['segments'] as Array<{ key: string }>).map((s) => s.key)).toEqual([
      'beta-users',
      'eu',
    ]);
    expect(list.body['totalCount']).toBe(2);
    const eu = await get('/api/v1/namespaces/default/segments/eu');
    expect(eu.body).toEqual({
      key: 'eu',
      name: 'EU',
      description: '',
      constraints: [
        expect.objectContaining({
          segmentKey: 'eu',
          type: 'STRING_COMPARISON_TYPE',
          property: 'region',
          operator: 'eq',
          value: 'eu',
          namespaceKey: 'default',
        }),
        expect.objectContaining({ operator: 'isoneof', value: '["de","fr"]' }),
      ],
      matchType: 'ANY_MATCH_TYPE',
      namespaceKey: 'default',
    });
    expect((await get('/api/v1/namespaces/default/segments/nope')).status).toBe(404);
  });

  it('lists rules of a variant flag by rank, and gets one by the id the list gave', async () => {
    const list = await get('/api/v1/namespaces/default/flags/color/rules');
    const rules = list.body['rules'] as Array<Record<string, unknown>>;
    expect(rules.map((r) => [r['rank'], r['segmentKey'], r['segmentKeys']])).toEqual([
      [1, '', ['beta-users', 'eu']],
      [2, 'beta-users', []],
    ]);
    expect(rules[0]).toMatchObject({
      flagKey: 'color',
      namespaceKey: 'default',
      segmentOperator: 'AND_SEGMENT_OPERATOR',
      distributions: [
        expect.objectContaining({ rollout: 50, ruleId: rules[0]!['id'] }),
        expect.objectContaining({ rollout: 50 }),
      ],
    });
    expect(list.body).toMatchObject({ nextPageToken: '', totalCount: 2 });
    const one = await get(
      `/api/v1/namespaces/default/flags/color/rules/${String(rules[1]!['id'])}`,
    );
    expect(one.body).toEqual(rules[1]);
    expect((await get('/api/v1/namespaces/default/flags/color/rules/x')).status).toBe(404);
  });

  it('lists rollouts of a boolean flag (Flipt names the list "rules")', async () => {
    const list = await get('/api/v1/namespaces/default/flags/dark-mode/rollouts');
    expect(list.status).toBe(200);
    const rollouts = list.body['rules'] as Array<Record<string, unknown>>;
    expect(rollouts).toEqual([
      expect.objectContaining({
        rank: 1,
        flagKey: 'dark-mode',
        type: 'SEGMENT_ROLLOUT_TYPE',
        segment: {
          segmentKey: 'beta-users',
          value: true,
          segmentKeys: [],
          segmentOperator: 'OR_SEGMENT_OPERATOR',
        },
      }),
      expect.objectContaining({
        rank: 2,
        type: 'THRESHOLD_ROLLOUT_TYPE',
        threshold: { percentage: 50, value: true },
      }),
    ]);
    const one = await get(
      `/api/v1/namespaces/default/flags/dark-mode/rollouts/${String(rollouts[1]!['id'])}`,
    );
    expect(one.body).toEqual(rollouts[1]);
  });

  it("refuses a bad pageToken with Flipt's message", async () => {
    for (const token of ['abc', '-1', '9'])
      expect(await get(`/api/v1/namespaces/default/flags?pageToken=${token}`)).toEqual({
        status: 400,
        body: { code: 3, message: `pageToken is not valid: "${token}"`, details: [] },
      });
    expect((await get('/api/v1/namespaces/default/segments?pageToken=zz')).body).toMatchObject({
      message: 'pageToken is not valid: "zz"',
    });
  });

  it('requires a token', async () => {
    const r = await fetch(`${t.url}/api/v1/namespaces`);
    expect(r.status).toBe(401);
  });
});
