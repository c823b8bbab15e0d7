/**
 * Prometheus metrics of the sync loop, registered on the registry the caller passes (so two
 * instances in one test process do not collide). Re-registering on the same registry reuses the
 * existing metric objects (the revision gauge is shared with DataPlaneMetrics).
 */
import { HotCounter, HotGauge, HotHistogram } from '../metrics/hot-metrics.js';
import type { MetricRegistry } from '../metrics/metric-registry.js';

/** The sync metrics, bound to one registry. Label values are passed in label-name order. */
export interface SyncMetrics {
  /** Labels: environment, kind (fetch or build). */
  failures: HotCounter;
  /** Labels: environment. */
  lastSuccess: HotGauge;
  /** No labels. */
  buildSeconds: HotHistogram;
  /** Labels: environment, revision. */
  revisionInfo: HotGauge;
}

/** Creates (or reuses) the sync metrics on `registry`. */
export function createSyncMetrics(registry: MetricRegistry): SyncMetrics {
  const reuse = <T>(name: string, make: () => T): T =>
    (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    failures: reuse(
      'switchyard_sync_failures_total',
      () =>
        new HotCounter(
          registry,
          'switchyard_sync_failures_total',
          'Failed sync attempts by environment and kind (fetch or build).',
          ['environment', 'kind'],
        ),
    ),
    lastSuccess: reuse(
      'switchyard_sync_last_success_timestamp_seconds',
      () =>
        new HotGauge(
          registry,
          'switchyard_sync_last_success_timestamp_seconds',
          'Unix time of the last successful sync check per environment.',
          ['environment'],
        ),
    ),
    buildSeconds: reuse(
      'switchyard_snapshot_build_seconds',
      () =>
        new HotHistogram(
          registry,
          'switchyard_snapshot_build_seconds',
          'Time to load and compile one snapshot.',
          [],
          [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        ),
    ),
    revisionInfo: reuse(
      'switchyard_snapshot_revision_info',
      () =>
        new HotGauge(
          registry,
          'switchyard_snapshot_revision_info',
          'Revision served per environment (value 1).',
          ['environment', 'revision'],
        ),
    ),
  };
}

/** Points the revision gauge of `environment` at `revision` (one series per environment). */
export function setRevisionInfo(
  metrics: SyncMetrics,
  environment: string,
  previous: string | undefined,
  revision: string,
): void {
  if (previous !== undefined && previous !== revision)
    metrics.revisionInfo.remove([environment, previous]);
  metrics.revisionInfo.set([environment, revision], 1);
}
