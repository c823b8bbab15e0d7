/**
 * Stale flags of an environment, and their archive in one commit.
 *
 * A flag is stale when nobody committed to it for N days (so a flag created or changed lately
 * is never stale) and either
 * - `not-evaluated`: no instance evaluated it for N days in any environment of the organisation
 *   (its key in that namespace), or
 * - `single-value`: in this environment it served one value only (one variant, or always true
 *   or always false) throughout the last N days.
 * Client-side SDK evaluations are not seen, so a flag only evaluated client-side reads as not
 * evaluated: the console says so next to the list.
 *
 * Archive = delete the flags in one commit (or one commit on a proposal in a protected
 * environment), through the flag committer. Flipt's file format has no archived state: a
 * disabled flag still evaluates (a disabled boolean flag answers false, so "archiving" one that
 * served true would silently flip it), while a deleted flag is plainly absent for every Flipt
 * tool and SDK, and comes back whole through the flag restore endpoint from history.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { edits } from '@switchyard/flags';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { CONFIG, DB } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';
import { FlagCommitter, type WriteResult } from '../flags/flag-committer.service.js';
import { flagHistory } from '../flags/flag-history.js';
import type { FlagWorkspace } from '@switchyard/flags';
import type { ArchiveBody, StaleQuery } from './insights.dto.js';
import type { WriteQuery } from '../flags/flags.dto.js';
import { NOT_SEEN } from './usage.service.js';

const DAY_MS = 86_400_000;
/** Most candidates whose git history is read for one request (each is a history scan). */
const MAX_CANDIDATES = 200;

type Reason =
  | { kind: 'not-evaluated'; lastEvaluatedAt: string | null }
  | { kind: 'single-value'; value: string; count: number };

/** Stale detection and bulk archive. */
@Injectable()
export class StaleFlagsService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
  ) {}

  /** The stale flags of `envKey` at its head, with their reasons. */
  async list(ctx: OrgContext, envKey: string, q: StaleQuery, now = Date.now()) {
    requirePermission(ctx, 'flags:read');
    const days = q.days ?? this.config.usage.staleAfterDays;
    const cutoff = now - days * DAY_MS;
    const opened = await this.reader.open(ctx, envKey);
    const ws = await this.reader.workspace(opened, opened.head);
    const env = await this.db.environment.findUniqueOrThrow({
      where: { orgId_key: { orgId: ctx.org.id, key: envKey } },
      select: { id: true },
    });
    const [lastAny, single] = await Promise.all([
      this.lastEvaluatedAnywhere(ctx.org.id),
      this.singleValued(env.id, cutoff, days),
    ]);
    const candidates: Array<{ namespace: string; flag: string; name: string; reasons: Reason[] }> =
      [];
    for (const ns of ws.environment.namespaces)
      for (const f of ns.flags) {
        const k = `${ns.key}/${f.key}`;
        const reasons: Reason[] = [];
        const last = lastAny.get(k);
        if (last === undefined || last < cutoff)
          reasons.push({
            kind: 'not-evaluated',
            lastEvaluatedAt: last === undefined ? null : new Date(last).toISOString(),
          });
        const s = single.get(k);
        if (s) reasons.push({ kind: 'single-value', ...s });
        if (reasons.length > 0)
          candidates.push({ namespace: ns.key, flag: f.key, name: f.name, reasons });
      }
    const items = [];
    for (const c of candidates.slice(0, MAX_CANDIDATES)) {
      const lastCommitAt = await this.lastCommit(opened, ws, c.namespace, c.flag);
      if (lastCommitAt !== null && Date.parse(lastCommitAt) >= cutoff) continue;
      items.push({ ...c, lastCommitAt });
    }
    return { environment: envKey, revision: opened.head, days, items, notice: NOT_SEEN };
  }

  /** Deletes `body.flags` in one commit on the environment (or on `q.proposal`). */
  archive(
    ctx: OrgContext,
    envKey: string,
    ifMatch: string | undefined,
    q: WriteQuery,
    body: ArchiveBody,
  ): Promise<WriteResult> {
    const keys = [...new Set(body.flags.map((f) => `${f.namespace}/${f.flag}`))];
    return this.writer.mutate(
      ctx,
      { envKey, ifMatch, proposal: q.proposal, message: q.message },
      {
        summary: q.message ?? `Archive ${keys.length} stale flag${keys.length === 1 ? '' : 's'}`,
        trailers: { Archived: keys.join(', ') },
        action: 'flag.archive',
        targetType: 'flag',
        targetId: `${envKey}/${keys.length === 1 ? keys[0] : `${keys.length} flags`}`,
      },
      (ws) => {
        for (const f of body.flags) edits.deleteFlag(ws, f.namespace, f.flag);
      },
    );
  }

  /** Latest evaluation per `ns/flag` in any environment of the organisation (Unix ms). */
  private async lastEvaluatedAnywhere(orgId: string): Promise<Map<string, number>> {
    const rows = await this.db.flagLastEvaluated.groupBy({
      by: ['namespaceKey', 'flagKey'],
      where: { environment: { orgId } },
      _max: { lastEvaluatedAt: true },
    });
    return new Map(
      rows.map((r) => [`${r.namespaceKey}/${r.flagKey}`, r._max.lastEvaluatedAt?.getTime() ?? 0]),
    );
  }

  /**
   * Flags of the environment that served exactly one value over the last `days` days: one value
   * in every bucket of the window, and evaluations from its start on (the first bucket within a
   * tenth of the window, at most a day, of the cutoff: a flag first evaluated yesterday has not
   * served one value for 30 days). Hour rows while they are retained for the whole window, day
   * rows beyond.
   */
  private async singleValued(
    environmentId: string,
    cutoff: number,
    days: number,
  ): Promise<Map<string, { value: string; count: number }>> {
    const granularity = days * DAY_MS <= this.config.usage.hourRetentionMs ? 'hour' : 'day';
    const rows = await this.db.flagUsageBucket.groupBy({
      by: ['namespaceKey', 'flagKey', 'value'],
      where: { environmentId, granularity, bucketStart: { gte: new Date(cutoff) } },
      _sum: { count: true },
      _min: { bucketStart: true },
    });
    const per = new Map<
      string,
      { values: Set<string>; value: string; count: number; first: number }
    >();
    for (const r of rows) {
      const k = `${r.namespaceKey}/${r.flagKey}`;
      const n = Number(r._sum.count ?? 0);
      if (n === 0) continue;
      const first = r._min.bucketStart?.getTime() ?? Infinity;
      const p = per.get(k);
      if (!p) per.set(k, { values: new Set([r.value]), value: r.value, count: n, first });
      else {
        p.values.add(r.value);
        p.first = Math.min(p.first, first);
      }
    }
    const out = new Map<string, { value: string; count: number }>();
    for (const [k, p] of per)
      if (p.values.size === 1 && p.first <= cutoff + DAY_MS)
        out.set(k, { value: p.value, count: p.count });
    return out;
  }

  /** Time of the newest commit that changed the flag, or null when none is found. */
  private async lastCommit(
    opened: OpenedEnvironment,
    ws: FlagWorkspace,
    ns: string,
    flag: string,
  ): Promise<string | null> {
    const files = [...new Set(ws.namespaceDocs(ns).map((r) => r.file))];
    const page = await flagHistory(opened.store, {
      rev: opened.head,
      paths: files.map((f) => (opened.directory === '' ? f : `${opened.directory}/${f}`)),
      namespace: ns,
      flag,
      limit: 1,
    });
    return page.commits[0]?.time ?? null;
  }
}
