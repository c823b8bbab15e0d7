import { describe, expect, it } from 'vitest';
import { flagSchema } from '@switchyard/flags';
import { flagFilter } from './flag-filter.js';

const flags = [
  flagSchema.parse({
    key: 'checkout',
    name: 'New checkout',
    enabled: true,
    metadata: { team: 'pay', tier: 1 },
  }),
  flagSchema.parse({
    key: 'dark-mode',
    name: 'Dark mode',
    type: 'BOOLEAN_FLAG_TYPE',
    description: 'UI theme',
  }),
  flagSchema.parse({ key: 'search', name: 'Search v2', enabled: true, metadata: { team: 'core' } }),
];
const keys = (q: Parameters<typeof flagFilter>[0]) => flags.filter(flagFilter(q)).map((f) => f.key);

describe('flagFilter', () => {
  it('keeps everything without criteria', () => {
    expect(keys({})).toEqual(['checkout', 'dark-mode', 'search']);
  });
  it('searches key, name and description case-insensitively', () => {
    expect(keys({ q: 'CHECK' })).toEqual(['checkout']);
    expect(keys({ q: 'theme' })).toEqual(['dark-mode']);
  });
  it('filters by type and enabled, all criteria together', () => {
    expect(keys({ type: 'BOOLEAN_FLAG_TYPE' })).toEqual(['dark-mode']);
    expect(keys({ enabled: 'false' })).toEqual(['dark-mode']);
    expect(keys({ enabled: 'true', q: 'search' })).toEqual(['search']);
  });
  it('filters by metadata key or key=value (scalars by their text)', () => {
    expect(keys({ metadata: 'team' })).toEqual(['checkout', 'search']);
    expect(keys({ metadata: 'team=core' })).toEqual(['search']);
    expect(keys({ metadata: 'tier=1' })).toEqual(['checkout']);
    expect(keys({ metadata: 'tier=2' })).toEqual([]);
  });
});
