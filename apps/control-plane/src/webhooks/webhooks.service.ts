import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import type { Keys } from '../common/crypto.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { DB, KEYS, LOGGER } from '../common/tokens.js';
import { ChangeEvents } from '../events/change-events.js';
import { EnvironmentStoreService } from '../git-hosting/environment-store.service.js';
import { verifyGithub, verifyGitlab, webhookSecret } from './webhook-signature.js';

/** A delivered push notification. */
export interface Delivery {
  provider: 'github' | 'gitlab';
  repositoryId: string;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

const header = (h: Delivery['headers'], name: string): string | undefined =>
  typeof h[name] === 'string' ? h[name] : undefined;

/**
 * Push webhooks of external repositories (GitHub HMAC signature, GitLab token). A verified push
 * fetches the pushed branch for every environment on it and announces the new revision, so data
 * planes do not wait for their poll. Unknown repositories and bad signatures look the same (401).
 */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(KEYS) private readonly keys: Keys,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly stores: EnvironmentStoreService,
    private readonly events: ChangeEvents,
  ) {}

  /** Where and with which secret to configure the webhook (admins only; the secret is derived, not stored). */
  async config(ctx: OrgContext, repositoryId: string) {
    requirePermission(ctx, 'repositories:write');
    const repo = await this.db.gitRepository.findFirst({
      where: { id: repositoryId, orgId: ctx.org.id },
    });
    if (!repo) throw errors.notFound('repository not found');
    const secret = webhookSecret(this.keys.encryption, ctx.org.id, repo.id);
    return {
      github: {
        path: `/api/v1/webhooks/github/${repo.id}`,
        secret,
        contentType: 'application/json' as const,
      },
      gitlab: { path: `/api/v1/webhooks/gitlab/${repo.id}`, token: secret },
    };
  }

  async receive(d: Delivery): Promise<{ environments: { key: string; revision: string }[] }> {
    const repo = await this.db.gitRepository.findUnique({ where: { id: d.repositoryId } });
    const secret = repo
      ? webhookSecret(this.keys.encryption, repo.orgId, repo.id)
      : 'no-such-repository';
    const ok =
      d.provider === 'github'
        ? verifyGithub(secret, d.raw, header(d.headers, 'x-hub-signature-256'))
        : verifyGitlab(secret, header(d.headers, 'x-gitlab-token'));
    if (!repo || !ok) throw errors.unauthenticated('webhook signature does not verify');
    const ref = pushedRef(d.raw);
    if (ref === undefined) return { environments: [] }; // ping or a non-push event
    const envs = await this.db.environment.findMany({
      where: {
        orgId: repo.orgId,
        repositoryId: repo.id,
        branch: ref.replace(/^refs\/heads\//, ''),
      },
      include: { org: { select: { slug: true } } },
    });
    const out: { key: string; revision: string }[] = [];
    for (const { org, ...env } of envs) {
      const opened = await this.stores.openEnvironment(env, org.slug);
      // The remote's commit is known only by its revision here; the console shows just that.
      this.events.environmentChanged({
        orgId: env.orgId,
        orgSlug: org.slug,
        envKey: env.key,
        revision: opened.head,
      });
      out.push({ key: env.key, revision: opened.head });
    }
    this.logger.info({ repositoryId: repo.id, ref, environments: out.length }, 'push webhook');
    return { environments: out };
  }
}

/** `ref` of a GitHub or GitLab push payload, if it is one. */
function pushedRef(raw: Buffer): string | undefined {
  try {
    const body = JSON.parse(raw.toString('utf8')) as { ref?: unknown };
    return typeof body.ref === 'string' && body.ref.startsWith('refs/heads/')
      ? body.ref
      : undefined;
  } catch {
    throw errors.invalidArgument('webhook body is not JSON');
  }
}
