/**
 * Reads of the evaluation counts: a flag's series per value over a range, when each flag was
 * last evaluated per environment, and the per-environment summary behind the flag list's trend
 * lines. Counts come from the instances' ReportUsage batches (server-side evaluations only:
 * client-side SDKs evaluate a downloaded snapshot and are never seen — see NOT_SEEN).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { DB } from '../common/tokens.js';
import { EnvironmentReader } from '../flags/environment-reader.service.js';
import { flagHistory } from '../flags/flag-history.js';
import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';
import type { CommitInfo } from '@switchyard/git-store';
import {
  GRANULARITY_MAX_POINTS,
  type Granularity,
  type SummaryQuery,
  type UsageQuery,
} from './insights.dto.js';

/** Said wherever counts are shown. */
export const NOT_SEEN =
  'Counts include evaluations answered by Switchyard instances (REST, gRPC, OFREP, batch). ' +
  'Client-side SDKs that evaluate a downloaded snapshot are not seen.';

/**
 * Commit markers per (organisation, environment, head revision, namespace, flag): a flag's
 * history at a revision never changes, and the chart polls while nothing is committed. Cleared
 * whole when full.
 */
const MAX_MARKER_ENTRIES = 1_000;

const STEP_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The start of the bucket of `granularity` containing `ms` (UTC). */
export function bucketStart(ms: number, granularity: Granularity): number {
  return ms - (ms % STEP_MS[granularity]);
}

/** Reads of usage buckets, scoped to the caller's organisation. */
@Injectable()
export class UsageService {
  readonly #markers = new Map<string, CommitInfo[]>();

  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly reader: EnvironmentReader,
  ) {}

  /** The environment's id within the caller's organisation (NotFound otherwise). */
  async environmentId(ctx: OrgContext, envKey: string): Promise<string> {
    requirePermission(ctx, 'flags:read');
    const env = await this.db.environment.findUnique({
      where: { orgId_key: { orgId: ctx.org.id, key: envKey } },
      select: { id: true },
    });
    if (!env) throw errors.notFound(`environment "${envKey}" not found`);
    return env.id;
  }

  /** Evaluations of one flag per value over `[from, to)`, with the commits to it as markers. */
  async flagUsage(ctx: OrgContext, envKey: string, ns: string, flag: string, q: UsageQuery) {
    const environmentId = await this.environmentId(ctx, envKey);
    const to = q.to ? Date.parse(q.to) : Date.now();
    const from = bucketStart(q.from ? Date.parse(q.from) : to - 86_400_000, q.granularity);
    if (from >= to)
      throw errors.invalidArgument('from must be before to', [
        { path: 'query.from', message: 'earlier than `to`' },
      ]);
    if ((to - from) / STEP_MS[q.granularity] > GRANULARITY_MAX_POINTS)
      throw errors.invalidArgument(
        `at most ${GRANULARITY_MAX_POINTS} ${q.granularity}s per range`,
        [{ path: 'query.granularity', message: 'use a coarser granularity or a shorter range' }],
      );
    const [rows, last, commits, everywhere] = await Promise.all([
      this.db.flagUsageBucket.findMany({
        where: {
          environmentId,
          namespaceKey: ns,
          flagKey: flag,
          granularity: q.granularity,
          bucketStart: { gte: new Date(from), lt: new Date(to) },
        },
        orderBy: { bucketStart: 'asc' },
      }),
      this.db.flagLastEvaluated.findUnique({
        where: {
          environmentId_namespaceKey_flagKey: { environmentId, namespaceKey: ns, flagKey: flag },
        },
      }),
      this.commits(ctx, envKey, ns, flag, from, to),
      this.lastEvaluated(ctx, ns, flag),
    ]);
    const series = new Map<
      string,
      {
        value: string;
        total: number;
        byReason: Record<string, number>;
        points: Map<number, number>;
      }
    >();
    let total = 0;
    for (const r of rows) {
      const n = Number(r.count);
      let s = series.get(r.value);
      if (!s)
        series.set(r.value, (s = { value: r.value, total: 0, byReason: {}, points: new Map() }));
      const t = r.bucketStart.getTime();
      s.points.set(t, (s.points.get(t) ?? 0) + n);
      s.byReason[r.reason] = (s.byReason[r.reason] ?? 0) + n;
      s.total += n;
      total += n;
    }
    return {
      environment: envKey,
      namespace: ns,
      flag,
      granularity: q.granularity,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      total,
      series: [...series.values()]
        .sort((a, b) => b.total - a.total || a.value.localeCompare(b.value))
        .map((s) => ({
          ...s,
          points: [...s.points].map(([t, count]) => ({ start: new Date(t).toISOString(), count })),
        })),
      lastEvaluatedAt: last?.lastEvaluatedAt.toISOString() ?? null,
      lastEvaluated: everywhere,
      commits,
      notice: NOT_SEEN,
    };
  }

  /** Commits that changed the flag within `[from, to)`, newest first (at most 100). */
  private async commits(
    ctx: OrgContext,
    envKey: string,
    ns: string,
    flag: string,
    from: number,
    to: number,
  ) {
    const opened = await this.reader.open(ctx, envKey);
    const key = `${ctx.org.id}\0${envKey}\0${opened.head}\0${ns}\0${flag}`;
    let commits = this.#markers.get(key);
    if (!commits) {
      commits = await this.flagCommits(opened, ns, flag);
      if (this.#markers.size >= MAX_MARKER_ENTRIES) this.#markers.clear();
      this.#markers.set(key, commits);
    }
    return commits
      .filter((c) => {
        const t = Date.parse(c.time);
        return t >= from && t < to;
      })
      .map((c) => ({
        revision: c.revision,
        time: c.time,
        author: c.author.name,
        summary: c.summary,
      }));
  }

  /** The newest 100 commits that changed the flag at the environment's head. */
  private async flagCommits(opened: OpenedEnvironment, ns: string, flag: string) {
    const ws = await this.reader.workspace(opened, opened.head);
    const files = [...new Set(ws.namespaceDocs(ns).map((r) => r.file))];
    if (files.length === 0) return [];
    const page = await flagHistory(opened.store, {
      rev: opened.head,
      paths: files.map((f) => (opened.directory === '' ? f : `${opened.directory}/${f}`)),
      namespace: ns,
      flag,
      limit: 100,
    });
    return page.commits;
  }

  /** When the flag was last evaluated in each of the organisation's environments. */
  private async lastEvaluated(ctx: OrgContext, ns: string, flag: string) {
    const envs = await this.db.environment.findMany({
      where: { orgId: ctx.org.id },
      select: {
        key: true,
        lastEvaluated: {
          where: { namespaceKey: ns, flagKey: flag },
          select: { lastEvaluatedAt: true },
        },
      },
      orderBy: { key: 'asc' },
    });
    return envs.map((e) => ({
      environment: e.key,
      lastEvaluatedAt: e.lastEvaluated[0]?.lastEvaluatedAt.toISOString() ?? null,
    }));
  }

  /** Hourly totals per flag of an environment over the last `hours` hours (trend lines). */
  async summary(ctx: OrgContext, envKey: string, q: SummaryQuery, now = Date.now()) {
    const environmentId = await this.environmentId(ctx, envKey);
    const from = bucketStart(now, 'hour') - (q.hours - 1) * 3_600_000;
    const [rows, last] = await Promise.all([
      this.db.flagUsageBucket.groupBy({
        by: ['namespaceKey', 'flagKey', 'bucketStart'],
        where: { environmentId, granularity: 'hour', bucketStart: { gte: new Date(from) } },
        _sum: { count: true },
      }),
      this.db.flagLastEvaluated.findMany({ where: { environmentId } }),
    ]);
    const items = new Map<
      string,
      {
        namespace: string;
        flag: string;
        total: number;
        trend: number[];
        lastEvaluatedAt: string | null;
      }
    >();
    const item = (namespace: string, flag: string) => {
      const k = `${namespace}/${flag}`;
      let it = items.get(k);
      if (!it)
        items.set(
          k,
          (it = {
            namespace,
            flag,
            total: 0,
            trend: new Array<number>(q.hours).fill(0),
            lastEvaluatedAt: null,
          }),
        );
      return it;
    };
    for (const r of rows) {
      const i = Math.floor((r.bucketStart.getTime() - from) / 3_600_000);
      if (i < 0 || i >= q.hours) continue;
      const n = Number(r._sum.count ?? 0);
      const it = item(r.namespaceKey, r.flagKey);
      it.trend[i]! += n;
      it.total += n;
    }
    for (const l of last)
      item(l.namespaceKey, l.flagKey).lastEvaluatedAt = l.lastEvaluatedAt.toISOString();
    return {
      environment: envKey,
      from: new Date(from).toISOString(),
      hours: q.hours,
      items: [...items.values()].sort(
        (a, b) => a.namespace.localeCompare(b.namespace) || a.flag.localeCompare(b.flag),
      ),
    };
  }
}
