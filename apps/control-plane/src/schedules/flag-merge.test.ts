import { describe, expect, it } from 'vitest';
import type { Flag } from '@switchyard/flags';
import { mergeFlagEdit } from './flag-merge.js';

const flag = (over: Partial<Flag> = {}): Flag =>
  ({
    key: 'banner',
    name: 'Banner',
    type: 'BOOLEAN_FLAG_TYPE',
    enabled: false,
    ...over,
  }) as Flag;

describe('mergeFlagEdit', () => {
  it('applies the edit when nothing changed since review', () => {
    const r = mergeFlagEdit(flag(), flag({ enabled: true }), flag());
    expect(r).toEqual({ ok: true, flag: flag({ enabled: true }) });
  });

  it('keeps later changes to other fields and applies the reviewed ones', () => {
    const r = mergeFlagEdit(flag(), flag({ enabled: true }), flag({ name: 'Renamed' }));
    expect(r).toEqual({ ok: true, flag: flag({ enabled: true, name: 'Renamed' }) });
  });

  it('reports a field changed both ways as a conflict, naming it', () => {
    const r = mergeFlagEdit(
      flag(),
      flag({ enabled: true, name: 'Mine' }),
      flag({ name: 'Theirs' }),
    );
    expect(r).toMatchObject({ ok: false, conflicts: ['name'] });
  });

  it('accepts a field changed both ways to the same value', () => {
    const r = mergeFlagEdit(flag(), flag({ enabled: true }), flag({ enabled: true }));
    expect(r).toEqual({ ok: true, flag: flag({ enabled: true }) });
  });

  it('refuses to edit a flag deleted meanwhile, or to create one created meanwhile', () => {
    expect(mergeFlagEdit(flag(), flag({ enabled: true }), undefined)).toMatchObject({
      ok: false,
      reason: 'the flag was deleted meanwhile',
    });
    expect(mergeFlagEdit(undefined, flag(), flag({ name: 'Other' }))).toMatchObject({
      ok: false,
      reason: 'the flag was created meanwhile',
    });
  });

  it('deletes only the flag as reviewed', () => {
    expect(mergeFlagEdit(flag(), undefined, flag())).toEqual({ ok: true, flag: undefined });
    expect(mergeFlagEdit(flag(), undefined, flag({ enabled: true }))).toMatchObject({ ok: false });
  });

  it('removes a field the edit removed', () => {
    const r = mergeFlagEdit(
      flag({ description: 'd' }),
      flag(),
      flag({ description: 'd', name: 'N' }),
    );
    expect(r).toEqual({ ok: true, flag: flag({ name: 'N' }) });
  });
});
