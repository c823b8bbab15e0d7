import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  compileEnvironment,
  DEFAULT_NAMESPACE,
  explainEvaluation,
  loadEnvironment,
  SwitchyardError,
  type EnvironmentSnapshot,
} from '@switchyard/flags';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { EnvironmentStoreService } from '../git-hosting/environment-store.service.js';
import type { PlaygroundBody, PlaygroundResult } from './playground.dto.js';

/** Compiled snapshots kept (one per environment revision); revisions are immutable, so entries never go stale. */
const CACHE_SIZE = 64;

const sha1 = (revision: string, ns: string) =>
  createHash('sha1').update(`${revision}\0${ns}`).digest('hex');

type Compiled = { ok: true; snapshot: EnvironmentSnapshot } | { ok: false; error: string };

/**
 * Evaluates one context against flags in several environments at once, with the engine's
 * explanation of every answer. Each environment is read at its current revision through the
 * environment store and compiled with libs/flags, exactly as an instance would serve it.
 */
@Injectable()
export class PlaygroundService {
  private readonly cache = new Map<string, Compiled>();

  constructor(private readonly stores: EnvironmentStoreService) {}

  async evaluate(ctx: OrgContext, body: PlaygroundBody): Promise<PlaygroundResult> {
    requirePermission(ctx, 'flags:read');
    const environments: PlaygroundResult['environments'] = [];
    for (const envKey of new Set(body.environments)) {
      const opened = await this.stores.open(ctx.org.id, envKey);
      const compiled = await this.compiled(
        `${opened.env.id}@${opened.head}`,
        opened.head,
        async () => opened.store.readTree(opened.head, opened.directory),
      );
      if (!compiled.ok) {
        environments.push({
          environment: envKey,
          revision: opened.head,
          error: compiled.error,
          flags: [],
        });
        continue;
      }
      const snapshot = compiled.snapshot;
      const wanted =
        body.flags ??
        (snapshot.namespaces.get(body.namespace ?? DEFAULT_NAMESPACE)?.model.flags ?? []).map(
          (f) => ({ namespace: body.namespace ?? DEFAULT_NAMESPACE, key: f.key }),
        );
      environments.push({
        environment: envKey,
        revision: opened.head,
        flags: wanted.map((w) => this.explain(snapshot, w, body)),
      });
    }
    return { environments };
  }

  private explain(
    snapshot: EnvironmentSnapshot,
    w: { namespace: string; key: string },
    body: PlaygroundBody,
  ): PlaygroundResult['environments'][number]['flags'][number] {
    try {
      const ex = explainEvaluation(snapshot, {
        namespaceKey: w.namespace,
        flagKey: w.key,
        entityId: body.entityId,
        context: body.context,
      });
      const answer = ex.variant
        ? {
            match: ex.variant.match,
            variantKey: ex.variant.variantKey,
            variantAttachment: ex.variant.variantAttachment,
            segmentKeys: ex.variant.segmentKeys,
          }
        : { value: ex.boolean!.enabled, segmentKeys: ex.boolean!.segmentKeys };
      return {
        namespace: w.namespace,
        key: w.key,
        found: true,
        type: ex.flagType,
        enabled: ex.flagEnabled,
        reason: ex.reason,
        ...answer,
        summary: ex.summary,
        steps: ex.steps,
      };
    } catch (e) {
      if (e instanceof SwitchyardError && e.code === 'NotFound')
        return { namespace: w.namespace, key: w.key, found: false, error: e.message };
      throw e;
    }
  }

  private async compiled(
    cacheKey: string,
    revision: string,
    read: () => Promise<Map<string, Buffer>>,
  ): Promise<Compiled> {
    const hit = this.cache.get(cacheKey);
    if (hit) {
      // Refresh its place: the map's order is the eviction order.
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, hit);
      return hit;
    }
    const loaded = loadEnvironment(await read());
    let entry: Compiled;
    if (!loaded.ok) {
      const first = loaded.errors[0];
      entry = {
        ok: false,
        error: `the environment does not load at ${revision.slice(0, 12)}: ${first ? `${first.file ?? ''} ${first.message}` : 'invalid'}`,
      };
    } else {
      try {
        entry = {
          ok: true,
          snapshot: compileEnvironment(loaded.environment, { revision, digest: sha1 }),
        };
      } catch (e) {
        entry = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    }
    this.cache.set(cacheKey, entry);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }
}
