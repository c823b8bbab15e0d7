import { Inject, Injectable } from '@nestjs/common';
import { withTransaction, type Database } from '@switchyard/db';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { sha256 } from '../common/crypto.js';
import type { RequestContext } from '../common/request-context.js';
import { DB, LOGGER } from '../common/tokens.js';
import { ChangeEvents } from '../events/change-events.js';
import { resetApprovals } from './proposal-meta.js';
import type { OpenedEnvironment } from './environment-store.service.js';
import type { RefUpdate } from './pre-receive-hook.js';
import { history } from '@switchyard/git-store';

const PROPOSAL_REF = /^refs\/heads\/(switchyard\/proposals\/([0-9a-f-]{36}))$/u;

/**
 * What happens after a push was accepted (the post-receive report: exact old → new per ref): an
 * audit event per ref with the pusher, the environment's last accepted revision for the
 * durability check, the environment-changed announcement (instances sync at once), and a new
 * change on a proposal branch withdraws the proposal's approvals.
 */
@Injectable()
export class PushAuditService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditService,
    private readonly events: ChangeEvents,
  ) {}

  /** The pusher: writes need a personal access token (GitHttpAuth), so this is its owner. */
  async actor(authorization: string | undefined, requestId: string): Promise<RequestContext> {
    const token = basicPassword(authorization);
    const pat = token
      ? await this.db.personalAccessToken.findUnique({
          where: { tokenHash: sha256(token) },
          include: { user: true },
        })
      : null;
    if (!pat)
      return { principal: { userId: 'unknown', email: 'unknown', via: 'system' }, requestId };
    return {
      principal: { userId: pat.userId, email: pat.user.email, via: 'pat', tokenId: pat.id },
      requestId,
    };
  }

  /** Records the accepted updates of one push. Never throws (the push already succeeded). */
  async accepted(
    opened: OpenedEnvironment,
    ctx: RequestContext,
    updates: readonly RefUpdate[],
  ): Promise<void> {
    const env = opened.env;
    for (const u of updates) {
      try {
        const onBranch = u.ref === `refs/heads/${env.branch}`;
        const proposal = PROPOSAL_REF.exec(u.ref);
        await withTransaction(this.db, async (tx) => {
          await this.audit.record(tx, ctx, {
            orgId: env.orgId,
            action: 'git.push',
            targetType: proposal ? 'proposal' : 'environment',
            targetId: proposal ? proposal[2]! : env.id,
            before: { revision: u.old, ref: u.ref },
            after: { revision: u.new, ref: u.ref, environment: env.key },
          });
          if (onBranch)
            await tx.$executeRaw`UPDATE "environments" SET "hostedRevision" = ${u.new} WHERE "id" = ${env.id}`;
        });
        if (onBranch) await this.announce(opened, u.old, u.new);
        if (proposal) await resetApprovals(opened.store, proposal[2]!, u.new);
      } catch (e) {
        this.logger.error(
          { err: e, ref: u.ref, environmentId: env.id },
          'recording an accepted push failed',
        );
      }
    }
  }

  /** One environment-changed event per accepted branch update. */
  private async announce(opened: OpenedEnvironment, previous: string, revision: string) {
    this.events.environmentChanged({
      orgId: opened.env.orgId,
      orgSlug: opened.orgSlug,
      envKey: opened.env.key,
      revision,
      ...(/^0+$/u.test(previous) ? {} : { previous }),
      ...(await headCommit(opened, revision)),
    });
  }
}

/** The pushed head's author and message travel with the event (what the console shows). */
async function headCommit(
  opened: OpenedEnvironment,
  revision: string,
): Promise<{ author?: { name: string; email: string }; summary?: string }> {
  const page = await history(opened.store, { rev: revision, limit: 1 }).catch(() => null);
  const c = page?.commits[0];
  return c ? { author: c.author, summary: c.message } : {};
}

function basicPassword(header: string | undefined): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]{1,2000})$/u.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}
