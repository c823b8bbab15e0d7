import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Database } from '@switchyard/db';
import { DB, LOGGER } from '../common/tokens.js';
import type { DiscoverBody, DiscoverView } from './sso-connections.dto.js';

/** The one answer for every address or organisation without a usable connection. */
const NOT_FOUND: DiscoverView = {
  found: false,
  connection: null,
  loginUrl: null,
  message:
    'No company sign-in is set up for this. Sign in with the platform’s SSO, or ask your administrator for your organisation’s sign-in link.',
};

/**
 * "Sign in with your company's SSO": from an organisation slug or a work e-mail, the connection to
 * sign in with. By e-mail only through a domain an organisation has **verified** (DNS TXT): an
 * unverified or unknown domain, an unknown organisation and one without SSO all get the same
 * answer, and no account is ever looked up (no user enumeration).
 */
@Injectable()
export class SsoDiscoveryService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async discover(body: DiscoverBody, requestId: string): Promise<DiscoverView> {
    const orgId =
      body.email !== undefined ? await this.byDomain(body.email) : await this.bySlug(body.org!);
    const connection =
      orgId === null
        ? null
        : await this.db.ssoConnection.findFirst({
            where: { orgId, enabled: true },
            // Enforced connections first: they are the ones that open the organisation.
            orderBy: [{ enforce: 'desc' }, { createdAt: 'asc' }],
            select: { id: true, name: true, kind: true },
          });
    this.logger.info(
      {
        event: 'auth.discover',
        by: body.email !== undefined ? 'email' : 'org',
        found: connection !== null,
        requestId,
      },
      'SSO discovery',
    );
    if (!connection) return NOT_FOUND;
    return {
      found: true,
      connection: { id: connection.id, name: connection.name, kind: connection.kind },
      loginUrl: `/api/v1/auth/login?${new URLSearchParams({ connection: connection.id }).toString()}`,
      message: `Continue with ${connection.name}.`,
    };
  }

  private async byDomain(email: string): Promise<string | null> {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    const row = await this.db.orgDomain.findUnique({
      where: { verifiedDomain: domain },
      select: { orgId: true },
    });
    return row?.orgId ?? null;
  }

  private async bySlug(slug: string): Promise<string | null> {
    const org = await this.db.organisation.findUnique({ where: { slug }, select: { id: true } });
    return org?.id ?? null;
  }
}
