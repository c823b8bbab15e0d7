import { describe, expect, it } from 'vitest';
import type { Environment } from '../model/schema.js';
import { fixture } from '../../test/fixtures/format/read-tree.js';
import { loadEnvironment } from './load-environment.js';
import { serializeEnvironment } from './serialize-environment.js';

describe('serializeEnvironment', () => {
  // Namespaces come back in directory order (the layout decides), so compare them by key.
  const byKey = (env: Environment) =>
    [...env.namespaces].sort((a, b) => a.key.localeCompare(b.key));

  it.each(['valid/readonly-v2', 'valid/corpus-v1', 'valid/streams', 'valid/explicit-index'])(
    'load ∘ serialise is the identity on %s (v2 layout)',
    (name) => {
      const loaded = loadEnvironment(fixture(name));
      if (!loaded.ok) throw new Error('fixture must load');
      for (const format of ['yaml', 'json'] as const) {
        const files = serializeEnvironment(loaded.environment, { format, version: '1.5' });
        expect([...files.keys()].every((p) => /^[^/]+\/features\.(yaml|json)$/u.test(p))).toBe(
          true,
        );
        const again = loadEnvironment(files);
        expect(again.ok ? byKey(again.environment) : again.errors).toEqual(
          byKey(loaded.environment),
        );
      }
    },
  );

  it('writes the namespace object and the latest version by default', () => {
    const files = serializeEnvironment({
      namespaces: [{ key: 'default', name: 'Default', flags: [], segments: [] }],
    });
    expect(Object.fromEntries(files)).toEqual({
      'default/features.yaml': 'version: "1.6"\nnamespace:\n  key: default\n  name: Default\n',
    });
  });
});
