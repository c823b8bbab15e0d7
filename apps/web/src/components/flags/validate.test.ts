import { describe, expect, it } from 'vitest';
import { flagSchema, flagYaml, segmentSchema } from '@switchyard/flags';
import { distributionTotal, reapply, validateFlag, validateFlagYaml } from './validate';

const beta = segmentSchema.parse({ key: 'beta', name: 'Beta', match_type: 'ALL_MATCH_TYPE' });
const flag = flagSchema.parse({
  key: 'checkout',
  name: 'Checkout',
  variants: [{ key: 'a' }, { key: 'b' }],
  rules: [
    {
      segment: 'beta',
      distributions: [
        { variant: 'a', rollout: 50 },
        { variant: 'b', rollout: 50 },
      ],
    },
  ],
});

describe('validateFlagYaml', () => {
  it('accepts the flag’s own YAML and gives back the same flag', () => {
    const r = validateFlagYaml('default', 'checkout', flagYaml('default', flag), [beta]);
    expect(r.errors).toEqual([]);
    expect(r.flag).toEqual(flag);
  });

  it('reports a bad value at its line and column', () => {
    const text = flagYaml('default', flag).replace('enabled: false', 'enabled: maybe');
    const r = validateFlagYaml('default', 'checkout', text, [beta]);
    expect(r.flag).toBeUndefined();
    const line = text.split('\n').findIndex((l) => l.includes('enabled: maybe')) + 1;
    expect(r.errors[0]).toMatchObject({ line });
    expect(r.errors[0]!.column).toBeGreaterThan(0);
  });

  it('resolves segment references against the namespace’s segments', () => {
    expect(validateFlag('default', flag, [beta])).toEqual([]);
    expect(
      validateFlag('default', flag, [])
        .map((e) => e.message)
        .join(),
    ).toMatch(/beta/);
  });

  it('keeps the tab to one flag with the page’s key and namespace', () => {
    const text = flagYaml('default', flag);
    expect(validateFlagYaml('default', 'other', text, [beta]).errors[0]!.message).toMatch(/key/);
    expect(validateFlagYaml('prod', 'checkout', text, [beta]).errors[0]!.message).toMatch(
      /namespace/,
    );
  });
});

describe('distributionTotal', () => {
  it('adds percentages without float noise', () => {
    expect(distributionTotal([{ rollout: 33.3 }, { rollout: 33.3 }, { rollout: 33.4 }])).toBe(100);
    expect(distributionTotal([])).toBe(0);
  });
});

describe('reapply', () => {
  it('takes the fields I changed from mine and every other field from theirs', () => {
    const mine = { ...flag, enabled: true };
    const theirs = { ...flag, name: 'Renamed' };
    expect(reapply(flag, mine, theirs)).toEqual({ ...flag, name: 'Renamed', enabled: true });
  });

  it('keeps my edit when the object did not exist on either side', () => {
    expect(reapply(undefined, flag, { ...flag, name: 'x' })).toBe(flag);
    expect(reapply(flag, flag, undefined)).toBe(flag);
  });
});
