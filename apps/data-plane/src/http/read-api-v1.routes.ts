/**
 * The rest of Flipt v1's read-only REST API that tools and SDKs call: namespaces, segments, and
 * the rules and rollouts of a flag, in Flipt's JSON shapes (proto field names, enums as names)
 * and paging (`limit`, `pageToken` = decimal offset, `nextPageToken`, `totalCount`). Lists are
 * sorted by key (rules and rollouts by rank), as Flipt's file stores do. File-backed objects have
 * no timestamps and no stored ids: ids are derived from their position so they are stable per
 * revision and `GET …/{id}` finds what the list returned.
 */
import { errors } from '@switchyard/flags/runtime';
import type { Flag, NamespaceSnapshot, Segment } from '@switchyard/flags';
import { headerHints, type HttpDeps } from './http-deps.js';
import { header, query, sendJson, type RequestContext } from './http-kit.js';
import { pageOf } from './read-api.routes.js';

function picked(deps: HttpDeps, ctx: RequestContext, nsKey?: string) {
  const scope = deps.tokens.authenticate(header(ctx.req, 'authorization'));
  const hints = { ...headerHints(deps, ctx), body: query(ctx).get('environmentKey') ?? undefined };
  return { scope, picked: deps.service.pick(hints, scope, nsKey) };
}

function byKey<T extends { key: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function namespaceJson(ns: NamespaceSnapshot) {
  return { key: ns.key, name: ns.name || ns.key, description: ns.description, protected: false };
}

function namespaceOf(deps: HttpDeps, ctx: RequestContext, nsKey: string): NamespaceSnapshot {
  return deps.service.namespace(picked(deps, ctx, nsKey).picked, nsKey);
}

/** `GET /api/v1/namespaces`: the namespaces the token may read. */
export function listNamespacesRoute(deps: HttpDeps, ctx: RequestContext): void {
  const { scope, picked: p } = picked(deps, ctx);
  const visible = [...p.snapshot.namespaces.values()].filter(
    (ns) => !scope.namespaces || scope.namespaces.has(ns.key),
  );
  const page = pageOf(ctx, byKey(visible));
  sendJson(ctx, 200, {
    namespaces: page.items.map(namespaceJson),
    nextPageToken: page.next,
    totalCount: page.total,
  });
}

/** `GET /api/v1/namespaces/{key}`. */
export function getNamespaceRoute(deps: HttpDeps, ctx: RequestContext, nsKey: string): void {
  sendJson(ctx, 200, namespaceJson(namespaceOf(deps, ctx, nsKey)));
}

function segmentJson(s: Segment, ns: string) {
  return {
    key: s.key,
    name: s.name,
    description: s.description ?? '',
    constraints: s.constraints.map((c, i) => ({
      id: `${s.key}-${i}`,
      segmentKey: s.key,
      type: c.type,
      property: c.property,
      operator: c.operator,
      value: Array.isArray(c.value) ? JSON.stringify(c.value) : (c.value ?? ''),
      namespaceKey: ns,
      description: c.description ?? '',
    })),
    matchType: s.match_type,
    namespaceKey: ns,
  };
}

/** `GET /api/v1/namespaces/{ns}/segments`. */
export function listSegmentsRoute(deps: HttpDeps, ctx: RequestContext, nsKey: string): void {
  const ns = namespaceOf(deps, ctx, nsKey);
  const page = pageOf(ctx, byKey(ns.model.segments));
  sendJson(ctx, 200, {
    segments: page.items.map((s) => segmentJson(s, ns.key)),
    nextPageToken: page.next,
    totalCount: page.total,
  });
}

/** `GET /api/v1/namespaces/{ns}/segments/{key}`. */
export function getSegmentRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  nsKey: string,
  key: string,
): void {
  const ns = namespaceOf(deps, ctx, nsKey);
  const segment = ns.model.segments.find((s) => s.key === key);
  if (!segment) throw errors.notFound(`segment "${nsKey}/${key}" not found`);
  sendJson(ctx, 200, segmentJson(segment, ns.key));
}

function flagOf(deps: HttpDeps, ctx: RequestContext, nsKey: string, flagKey: string) {
  const ns = namespaceOf(deps, ctx, nsKey);
  const flag = ns.flags.get(flagKey);
  if (!flag) throw errors.notFound(`flag "${nsKey}/${flagKey}" not found`);
  return { ns: ns.key, flag };
}

function rulesJson(flag: Flag, ns: string) {
  return flag.rules.map((r, i) => {
    const id = `${flag.key}-rule-${i + 1}`;
    return {
      id,
      flagKey: flag.key,
      segmentKey: r.segment.keys.length === 1 ? r.segment.keys[0]! : '',
      distributions: r.distributions.map((d, j) => ({
        id: `${id}-${j}`,
        ruleId: id,
        variantId: `${flag.key}/${d.variant}`,
        rollout: d.rollout,
      })),
      rank: i + 1,
      namespaceKey: ns,
      segmentKeys: r.segment.keys.length > 1 ? r.segment.keys : [],
      segmentOperator: r.segment.operator,
    };
  });
}

function rolloutsJson(flag: Flag, ns: string) {
  return flag.rollouts.map((r, i) => {
    const common = {
      id: `${flag.key}-rollout-${i + 1}`,
      namespaceKey: ns,
      flagKey: flag.key,
      rank: i + 1,
      description: r.description ?? '',
    };
    if (r.threshold)
      return { ...common, type: 'THRESHOLD_ROLLOUT_TYPE', threshold: { ...r.threshold } };
    const s = r.segment!;
    return {
      ...common,
      type: 'SEGMENT_ROLLOUT_TYPE',
      segment: {
        segmentKey: s.keys.length === 1 ? s.keys[0]! : '',
        value: s.value,
        segmentKeys: s.keys.length > 1 ? s.keys : [],
        segmentOperator: s.operator,
      },
    };
  });
}

/** `GET /api/v1/namespaces/{ns}/flags/{flag}/rules`, by rank. */
export function listRulesRoute(deps: HttpDeps, ctx: RequestContext, nsKey: string, key: string) {
  const { ns, flag } = flagOf(deps, ctx, nsKey, key);
  const page = pageOf(ctx, rulesJson(flag, ns));
  sendJson(ctx, 200, { rules: page.items, nextPageToken: page.next, totalCount: page.total });
}

/** `GET /api/v1/namespaces/{ns}/flags/{flag}/rules/{id}`. */
export function getRuleRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  nsKey: string,
  key: string,
  id: string,
): void {
  const { ns, flag } = flagOf(deps, ctx, nsKey, key);
  const rule = rulesJson(flag, ns).find((r) => r.id === id);
  if (!rule) throw errors.notFound(`rule "${id}" not found`);
  sendJson(ctx, 200, rule);
}

/** `GET /api/v1/namespaces/{ns}/flags/{flag}/rollouts`, by rank (Flipt names the list `rules`). */
export function listRolloutsRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  nsKey: string,
  key: string,
): void {
  const { ns, flag } = flagOf(deps, ctx, nsKey, key);
  const page = pageOf(ctx, rolloutsJson(flag, ns));
  sendJson(ctx, 200, { rules: page.items, nextPageToken: page.next, totalCount: page.total });
}

/** `GET /api/v1/namespaces/{ns}/flags/{flag}/rollouts/{id}`. */
export function getRolloutRoute(
  deps: HttpDeps,
  ctx: RequestContext,
  nsKey: string,
  key: string,
  id: string,
): void {
  const { ns, flag } = flagOf(deps, ctx, nsKey, key);
  const rollout = rolloutsJson(flag, ns).find((r) => r.id === id);
  if (!rollout) throw errors.notFound(`rollout "${id}" not found`);
  sendJson(ctx, 200, rollout);
}
