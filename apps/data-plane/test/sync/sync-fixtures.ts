/**
 * Shared fixtures of the sync tests: feature files, a silent logger, and a helper that starts
 * sync for one environment on a fresh registry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateBoolean, evaluateVariant } from '@switchyard/flags';
import { MetricRegistry } from '../../src/metrics/metric-registry.js';
import type { EnvironmentConfig } from '../../src/config/instance-config.js';
import { createLogger } from '../../src/logger.js';
import { EnvironmentRegistry } from '../../src/state/environment-registry.js';
import { startSync, type StartSyncOptions, type SyncManager } from '../../src/sync/index.js';

/** A valid feature file: boolean flag `banner` (enabled = `enabled`) and variant flag `color` → `color`. */
export function featuresYaml(
  opts: { enabled?: boolean; color?: string; namespace?: string } = {},
): string {
  const color = opts.color ?? 'blue';
  return `version: "1.4"
namespace: ${opts.namespace ?? 'default'}
flags:
  - key: banner
    name: Banner
    type: BOOLEAN_FLAG_TYPE
    enabled: ${opts.enabled ?? true}
  - key: color
    name: Color
    type: VARIANT_FLAG_TYPE
    enabled: true
    variants:
      - key: ${color}
    rules:
      - segment: everyone
        distributions:
          - variant: ${color}
            rollout: 100
segments:
  - key: everyone
    name: Everyone
    match_type: ALL_MATCH_TYPE
`;
}

/** The same file with a YAML syntax error on line 8. */
export const BROKEN_SYNTAX = featuresYaml().replace(
  'enabled: true\n  - key: color',
  'enabled: [true\n  - key: color',
);

/** The same file whose rule references an undefined segment (line 15). */
export const UNKNOWN_SEGMENT = featuresYaml().replace('segment: everyone', 'segment: nobody');

/** A logger that writes nothing. */
export const silentLogger = createLogger('silent');

const tempDirs: string[] = [];

/**
 * Removes the directories {@link tempDir} made. Every data-plane test file calls it last (the
 * project's setup file, test/setup.ts, registers it: a hook registered here, at import, would
 * run for the first file of a worker only, since modules are shared between its files).
 */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A fresh temp directory, removed after the test file. */
export async function tempDir(prefix = 'sy-sync-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A running sync of one environment `key` on a fresh registry. */
export interface StartedSync {
  registry: EnvironmentRegistry;
  metrics: MetricRegistry;
  sync: SyncManager;
}

/** Starts sync of one environment with `source` on a fresh registry. */
export async function startOne(
  key: string,
  source: EnvironmentConfig['source'],
  dataDir: string,
  extra: Partial<StartSyncOptions> = {},
): Promise<StartedSync> {
  const registry = new EnvironmentRegistry([key]);
  const metrics = new MetricRegistry({ defaultMetrics: false });
  // The test's own git server is on loopback: allow-list its exact origin, as an operator would.
  const origin =
    source.type === 'git' && /^https?:\/\//u.test(source.url) ? [new URL(source.url).origin] : [];
  const sync = await startSync({
    environments: [{ key, source }],
    registry,
    dataDir,
    logger: silentLogger,
    metrics,
    allowedOrigins: origin,
    ...extra,
  });
  return { registry, metrics, sync };
}

/** The variant of `color` and the value of `banner` served for `key`, or undefined when not ready. */
export function served(
  registry: EnvironmentRegistry,
  key: string,
): { color: string; banner: boolean } | undefined {
  const snapshot = registry.snapshot(key);
  if (!snapshot) return undefined;
  const color = evaluateVariant(snapshot, { flagKey: 'color', entityId: 'e1' }).variantKey;
  return {
    color,
    banner: evaluateBoolean(snapshot, { flagKey: 'banner', entityId: 'e1' }).enabled,
  };
}

/** Current value of a counter/gauge series in `metrics`. */
export function metricValue(
  metrics: MetricRegistry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = metrics.getSingleMetric(name);
  if (!metric) return Promise.resolve(0);
  const data = metric.get();
  const v = data.values.find((x) =>
    Object.entries(labels).every(([k, val]) => x.labels[k] === val),
  );
  return Promise.resolve(v?.value ?? 0);
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
