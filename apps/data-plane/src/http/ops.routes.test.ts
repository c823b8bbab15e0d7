import { describe, expect, it } from 'vitest';
import { compileEnvironment } from '@switchyard/flags';
import { namespaceDigest } from '../sync/namespace-digest.js';
import { EnvironmentRegistry } from '../state/environment-registry.js';
import type { HttpDeps } from './http-deps.js';
import { readiness } from './ops.routes.js';

const snapshot = compileEnvironment(
  { namespaces: [] },
  { revision: 'a'.repeat(40), digest: namespaceDigest },
);

describe('readiness', () => {
  it('degrades only after the grace period, or at once for a bad commit, and keeps serving', () => {
    const registry = new EnvironmentRegistry(['prod', 'staging', 'new']);
    registry.publish('prod', snapshot, 1_000);
    registry.fail('prod', { message: 'fetch failed', at: 2_000 });
    registry.publish('staging', snapshot, 1_000);
    registry.fail('staging', {
      message: 'yaml: bad indentation',
      revision: 'b'.repeat(40),
      file: 'default/features.yaml',
      line: 8,
      at: 2_000,
    });
    const deps = { registry } as unknown as HttpDeps;

    const soon = readiness(deps, 30_000);
    expect(soon.ready).toBe(false);
    expect(soon.environments.map((e) => [e.key, e.status])).toEqual([
      ['prod', 'ok'],
      ['staging', 'degraded'],
      ['new', 'not-ready'],
    ]);
    expect(soon.environments[1]!.lastError).toMatchObject({
      revision: 'b'.repeat(40),
      file: 'default/features.yaml',
      line: 8,
    });

    const later = readiness(deps, 120_000);
    expect(later.environments[0]!.status).toBe('degraded');
    expect(later.environments[0]!.revision).toBe('a'.repeat(40));
  });
});
