import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileEnvironment,
  evaluateBoolean,
  evaluateVariant,
  loadEnvironment,
} from '@switchyard/flags';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

let f: FlagsFixture;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'dev' }, { key: 'staging' }]);
});
afterAll(async () => {
  await f.t.close();
});

const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

async function write(env: string, kind: 'flags' | 'segments', body: { key: string }) {
  const res = await f.t.call(f.editor, {
    method: 'PUT',
    url: `${f.base(env)}/namespaces/default/${kind}/${body.key}`,
    headers: ifMatch(await f.revision(env)),
    body,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
}

const pro = {
  key: 'pro',
  name: 'Pro',
  match_type: 'ALL_MATCH_TYPE',
  constraints: [{ type: 'STRING_COMPARISON_TYPE', property: 'plan', operator: 'eq', value: 'pro' }],
};

describe('playground', () => {
  it('evaluates one context in several environments with explanations that match the engine', async () => {
    for (const env of ['dev', 'staging']) await write(env, 'segments', pro);
    await write(
      'dev',
      'flags',
      variantFlag('checkout', {
        rules: [
          {
            segment: 'pro',
            distributions: [
              { variant: 'on', rollout: 50 },
              { variant: 'off', rollout: 50 },
            ],
          },
        ],
      }),
    );
    await write('staging', 'flags', variantFlag('checkout', { enabled: false }));
    await write('dev', 'flags', {
      key: 'dark',
      name: 'Dark',
      type: 'BOOLEAN_FLAG_TYPE',
      enabled: false,
      rollouts: [{ segment: { key: 'pro', value: true } }],
    } as { key: string });

    const res = await f.t.call(f.viewer, {
      method: 'POST',
      url: '/api/v1/orgs/home/playground',
      body: {
        environments: ['dev', 'staging'],
        flags: [
          { namespace: 'default', key: 'checkout' },
          { namespace: 'default', key: 'dark' },
        ],
        entityId: 'user-7',
        context: { plan: 'pro' },
      },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const [dev, staging] = res.json.environments;
    expect(dev.revision).toBe(await f.revision('dev'));

    // The same answer as the engine on the environment's files at that revision.
    const store = await f.store('dev');
    const loaded = loadEnvironment(await store.readTree(dev.revision));
    if (!loaded.ok) throw new Error('dev does not load');
    const snap = compileEnvironment(loaded.environment, {
      revision: dev.revision,
      digest: () => 'x',
    });
    const want = evaluateVariant(snap, {
      flagKey: 'checkout',
      entityId: 'user-7',
      context: { plan: 'pro' },
    });
    const checkout = dev.flags[0];
    expect(checkout).toMatchObject({
      found: true,
      type: 'VARIANT_FLAG_TYPE',
      reason: want.reason,
      variantKey: want.variantKey,
      match: true,
    });
    const step = checkout.steps[0];
    expect(step.segments[0].constraints[0]).toMatchObject({
      property: 'plan',
      operator: 'eq',
      value: 'pro',
      seen: 'pro',
      matched: true,
    });
    expect(step.distributions.map((d: { to: number }) => d.to)).toEqual([500, 1000]);
    expect(step.variantKey).toBe(want.variantKey);
    const dark = dev.flags[1];
    expect(dark).toMatchObject({
      found: true,
      value: evaluateBoolean(snap, {
        flagKey: 'dark',
        entityId: 'user-7',
        context: { plan: 'pro' },
      }).enabled,
      reason: 'MATCH_EVALUATION_REASON',
    });
    expect(staging.flags[0]).toMatchObject({ reason: 'FLAG_DISABLED_EVALUATION_REASON' });
    expect(staging.flags[1]).toMatchObject({ found: false });
    expect(staging.flags[1].error).toContain('not found');

    // Without `flags`: every flag of the namespace.
    const all = await f.t.call(f.viewer, {
      method: 'POST',
      url: '/api/v1/orgs/home/playground',
      body: { environments: ['dev'], entityId: 'x' },
    });
    expect(all.json.environments[0].flags.map((x: { key: string }) => x.key)).toEqual([
      'checkout',
      'dark',
    ]);
  });

  it('refuses bad input with 4xx', async () => {
    const url = '/api/v1/orgs/home/playground';
    const empty = await f.t.call(f.viewer, {
      method: 'POST',
      url,
      body: { environments: [], entityId: 'x' },
    });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.json)).toContain('environments');
    const badCtx = await f.t.call(f.viewer, {
      method: 'POST',
      url,
      body: { environments: ['dev'], entityId: 'x', context: { n: 1 } },
    });
    expect(badCtx.status).toBe(400);
    const unknown = await f.t.call(f.viewer, {
      method: 'POST',
      url,
      body: { environments: ['nope'], entityId: 'x' },
    });
    expect(unknown.status).toBe(404);
  });
});
