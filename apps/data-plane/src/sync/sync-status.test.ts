import { describe, expect, it } from 'vitest';
import type { EnvironmentSnapshot } from '@switchyard/flags';
import type { EnvironmentState } from '../state/environment-registry.js';
import { syncStatus } from './sync-status.js';

const snapshot: EnvironmentSnapshot = { revision: 'a'.repeat(40), namespaces: new Map() };
const state = (s: Partial<EnvironmentState>): EnvironmentState => ({
  key: 'prod',
  snapshot,
  lastSyncAt: 1_000,
  lastError: undefined,
  ...s,
});

describe('syncStatus', () => {
  it.each([
    ['nothing loaded', state({ snapshot: undefined }), 'not-ready'],
    ['healthy', state({}), 'ok'],
    [
      'fetch failing within the grace period',
      state({ lastError: { message: 'x', at: 30_000 } }),
      'ok',
    ],
    [
      'fetch failing beyond the grace period',
      state({ lastError: { message: 'x', at: 70_000 } }),
      'degraded',
    ],
    [
      'bad commit at the head',
      state({ lastError: { message: 'x', revision: 'b'.repeat(40), at: 2_000 } }),
      'degraded',
    ],
  ] as const)('%s → %s', (_name, s, expected) => {
    expect(syncStatus(s, s.lastError?.at ?? 2_000)).toBe(expected);
  });
});
