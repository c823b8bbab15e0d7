/**
 * What an instance may know: its own organisation's environments (git source and read
 * credentials) and client-token hashes with their scopes. Nothing here crosses organisations:
 * every query is keyed by the instance's orgId, which comes from the authenticated instance row.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { InstanceConfiguration } from '@switchyard/contracts';
import type { Database } from '@switchyard/db';
import { normalizeOrigin } from '@switchyard/git-store';
import { CONFIG, DB } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { RepositoriesService } from '../repositories/repositories.service.js';
import { instanceSecret } from './instance-credentials.js';

/** Poll fallback of instance-mode environments: the watch stream is the fast path. */
const POLL_INTERVAL_MS = 30_000;

/** Builds instance configurations from the database. */
@Injectable()
export class InstanceConfigService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly repositories: RepositoriesService,
  ) {}

  /** The configuration of `instanceId` (which belongs to `orgId`). */
  async build(instanceId: string, orgId: string): Promise<InstanceConfiguration> {
    const now = new Date();
    const [org, envs, tokens] = await Promise.all([
      this.db.organisation.findUniqueOrThrow({ where: { id: orgId } }),
      this.db.environment.findMany({
        where: { orgId },
        include: { repository: true },
        orderBy: { key: 'asc' },
      }),
      this.db.clientToken.findMany({
        where: { orgId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        include: { environments: { include: { environment: true } } },
        orderBy: { id: 'asc' },
      }),
    ]);
    // Hosted environments are read over the control plane's smart-HTTP endpoint with the
    // instance's own credential; external ones with the repository's stored read credential.
    const hosted = {
      username: 'instance',
      password: instanceSecret(this.config.secret, instanceId),
    };
    const environments = await Promise.all(
      envs.map(async (e) => {
        const cred = e.repository
          ? await this.repositories.readSecret(orgId, e.repository.id)
          : null;
        const url = e.repository
          ? e.repository.url
          : `${this.config.publicUrl}/git/${org.slug}/${e.key}.git`;
        const credentials = e.repository
          ? cred
            ? { username: cred.username ?? '', password: cred.secret }
            : null
          : hosted;
        return {
          id: e.id,
          key: e.key,
          name: e.name,
          git: {
            url,
            branch: e.branch,
            directory: e.directory,
            credentials,
            pollIntervalMs: POLL_INTERVAL_MS,
          },
        };
      }),
    );
    const tokenViews = tokens.map((t) => ({
      id: t.id,
      name: t.name,
      sha256: t.tokenHash,
      environments: t.environments.map((x) => x.environment.key).sort(),
      namespaces: t.namespaces,
      expiresAtMs: t.expiresAt?.getTime() ?? 0,
    }));
    const body = {
      instanceId,
      orgId,
      orgSlug: org.slug,
      environments,
      tokens: tokenViews,
      allowedOrigins: this.instanceOrigins(),
    };
    // The version lets an instance skip reapplying an unchanged configuration.
    const version = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
    // Outside the version (a commit is not a configuration change): a starting instance (a wake)
    // syncs every environment whose persisted snapshot is older than this before it serves.
    const revisions = Object.fromEntries(
      envs.flatMap((e) => (!e.repository && e.hostedRevision ? [[e.key, e.hostedRevision]] : [])),
    );
    return { ...body, version, revisions };
  }

  /**
   * The operator's allow-list plus the control plane's own hosted-git origin (PUBLIC_URL): hosted
   * environment URLs are generated here, never by a tenant, and instances must reach them even
   * when the control plane sits on a private address. Tenant remotes on that origin are still
   * refused at save time unless the operator lists it in OUTBOUND_ALLOWED_ORIGINS.
   */
  private instanceOrigins(): string[] {
    return [
      ...new Set([...this.config.outbound.allowedOrigins, normalizeOrigin(this.config.publicUrl)]),
    ];
  }
}
