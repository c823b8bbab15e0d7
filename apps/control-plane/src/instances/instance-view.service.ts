import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { requirePermission, roleHolds } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import { STALE_AFTER_MS, type InstanceView } from './instance.dto.js';
import { readObservedState } from './observed-state.js';

const SUMMARY: Record<InstanceView['status'], string> = {
  pending: 'Waiting to be provisioned.',
  provisioning: 'Starting the instance that serves this organisation’s environments.',
  ready: 'Serving every environment.',
  degraded:
    'Serving, but at least one environment failed to sync: it keeps serving its last good revision.',
  failed: 'Provisioning failed; it is retried automatically. An admin sees the error here.',
  deleting: 'Being removed.',
  sleeping:
    'Asleep: it served no request for a while. The next request to any environment URL wakes it (the request waits a moment, then is answered).',
};

/** The organisation's instance status: every member reads it; operator details for admins. */
@Injectable()
export class InstanceViewService {
  constructor(@Inject(DB) private readonly db: Database) {}

  async get(ctx: OrgContext, now = Date.now()): Promise<InstanceView> {
    requirePermission(ctx, 'environments:read');
    // Every organisation gets its row when it is created; one without (created by hand in the
    // database) has nothing provisioned: shown as pending rather than as a missing page.
    const inst = (await this.db.instance.findUnique({ where: { orgId: ctx.org.id } })) ?? {
      status: 'pending' as const,
      observedState: null,
      reportedAt: null,
      lastError: null,
      endpoint: null,
      step: null,
      generation: 0,
      observedGeneration: 0,
    };
    const observed = readObservedState(inst.observedState);
    const envKeys = new Set(
      (
        await this.db.environment.findMany({ where: { orgId: ctx.org.id }, select: { key: true } })
      ).map((e) => e.key),
    );
    const reported = (observed?.environments ?? []).filter((e) => envKeys.has(e.key));
    const running = inst.status === 'ready' || inst.status === 'degraded';
    const stale =
      running && (inst.reportedAt === null || now - inst.reportedAt.getTime() > STALE_AFTER_MS);
    return {
      status: inst.status,
      summary: stale
        ? 'No status report for more than 30 seconds: the instance may be down or cut off from the control plane; it is restarted automatically.'
        : SUMMARY[inst.status],
      reportedAt: inst.reportedAt?.toISOString() ?? null,
      stale,
      startedAt: observed?.startedAt ?? null,
      restarts: observed?.restarts ?? null,
      environments: {
        total: envKeys.size,
        serving: reported.filter((e) => e.revision !== null).length,
        failing: reported.filter((e) => e.error !== null).length,
      },
      admin: roleHolds(ctx.org.role, 'org:write')
        ? {
            lastError: inst.lastError,
            endpoint: inst.endpoint,
            step: inst.step,
            generation: inst.generation,
            observedGeneration: inst.observedGeneration,
            configVersion: observed?.configVersion || null,
          }
        : null,
    };
  }
}
