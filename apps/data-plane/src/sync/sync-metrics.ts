/**
 * Prometheus metrics of the sync loop, registered on the registry the caller passes (so two
 * instances in one test process do not collide). Re-registering on the same registry reuses the
 * existing metric objects.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The sync metrics, bound to one prom-client registry. */
export interface SyncMetrics {
  failures: Counter<'environment' | 'kind'>;
  lastSuccess: Gauge<'environment'>;
  buildSeconds: Histogram;
  revisionInfo: Gauge<'environment' | 'revision'>;
}

/** Creates (or reuses) the sync metrics on `registry`. */
export function createSyncMetrics(registry: Registry): SyncMetrics {
  const reuse = <T>(name: string, make: () => T): T =>
    (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    failures: reuse(
      'switchyard_sync_failures_total',
      () =>
        new Counter({
          name: 'switchyard_sync_failures_total',
          help: 'Failed sync attempts by environment and kind (fetch or build).',
          labelNames: ['environment', 'kind'],
          registers: [registry],
        }),
    ),
    lastSuccess: reuse(
      'switchyard_sync_last_success_timestamp_seconds',
      () =>
        new Gauge({
          name: 'switchyard_sync_last_success_timestamp_seconds',
          help: 'Unix time of the last successful sync check per environment.',
          labelNames: ['environment'],
          registers: [registry],
        }),
    ),
    buildSeconds: reuse(
      'switchyard_snapshot_build_seconds',
      () =>
        new Histogram({
          name: 'switchyard_snapshot_build_seconds',
          help: 'Time to load and compile one snapshot.',
          buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers: [registry],
        }),
    ),
    revisionInfo: reuse(
      'switchyard_snapshot_revision_info',
      () =>
        new Gauge({
          name: 'switchyard_snapshot_revision_info',
          help: 'Revision served per environment (value 1).',
          labelNames: ['environment', 'revision'],
          registers: [registry],
        }),
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
    metrics.revisionInfo.remove({ environment, revision: previous });
  metrics.revisionInfo.set({ environment, revision }, 1);
}
