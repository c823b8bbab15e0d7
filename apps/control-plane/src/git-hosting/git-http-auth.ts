import { Inject, Injectable } from '@nestjs/common';
import type { Database, Environment } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { sha256 } from '../common/crypto.js';
import { ROLE_RANK } from '../common/permissions.js';
import { isWellFormedToken } from '../common/secret-token.js';
import { DB } from '../common/tokens.js';
import { checkSsoEnforcement } from '../sso/sso-enforcement.service.js';

/** What a git client may do with a hosted repository. */
export type GitAccess = 'read' | 'write';

const SLUG = /^[a-z0-9-]{1,40}$/;
const REPO = /^([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)\.git$/;

/**
 * Authorises smart-HTTP git clients (Basic auth; the password is a token, the user name is
 * ignored). Personal access tokens of members read, and of editors and above write (never on a
 * protected environment: those change through proposals). Client tokens read the environments
 * they are scoped to (data-plane instances). Unknown org, environment or non-member → NotFound.
 * A PAT is held to the organisation's SSO enforcement exactly as on the API (one rule:
 * {@link checkSsoEnforcement}); client tokens and instance credentials are the organisation's own
 * machine credentials and are not.
 */
@Injectable()
export class GitHttpAuth {
  constructor(@Inject(DB) private readonly db: Database) {}

  async authorise(
    authorization: string | undefined,
    orgSlug: string,
    repo: string,
    access: GitAccess,
  ): Promise<Environment> {
    const token = basicPassword(authorization);
    if (!token)
      throw errors.unauthenticated('git over HTTP needs a token as the Basic-auth password');
    const envKey = REPO.exec(repo)?.[1];
    if (!SLUG.test(orgSlug) || !envKey) throw errors.notFound('repository not found');
    const env = await this.db.environment.findFirst({
      where: { key: envKey, org: { slug: orgSlug } },
    });
    if (isWellFormedToken('pat', token)) return this.viaPat(token, env, access);
    if (isWellFormedToken('live', token)) return this.viaClientToken(token, env, access);
    if (token.startsWith('syi_')) return this.viaInstance(token, env, access);
    throw errors.unauthenticated('token is not valid');
  }

  private async viaPat(
    token: string,
    env: Environment | null,
    access: GitAccess,
  ): Promise<Environment> {
    const pat = await this.db.personalAccessToken.findUnique({
      where: { tokenHash: sha256(token) },
    });
    if (!pat || pat.revokedAt || (pat.expiresAt && pat.expiresAt.getTime() <= Date.now()))
      throw errors.unauthenticated('token is not valid');
    const member = env
      ? await this.db.membership.findUnique({
          where: { orgId_userId: { orgId: env.orgId, userId: pat.userId } },
        })
      : null;
    if (!env || !member || env.repositoryId !== null) throw errors.notFound('repository not found');
    await checkSsoEnforcement(
      this.db,
      {
        userId: pat.userId,
        email: '',
        via: 'pat',
        tokenId: pat.id,
        ssoConnectionIds: pat.ssoConnectionIds,
      },
      env.orgId,
    );
    if (access === 'write' && ROLE_RANK[member.role] < ROLE_RANK.EDITOR)
      throw errors.permissionDenied('pushing needs the EDITOR role');
    if (access === 'write' && env.protected)
      throw errors.permissionDenied('the environment is protected: changes go through proposals');
    return env;
  }

  private async viaInstance(
    token: string,
    env: Environment | null,
    access: GitAccess,
  ): Promise<Environment> {
    const orgId = await instanceOrg(this.db, token);
    if (!orgId) throw errors.unauthenticated('token is not valid');
    if (!env || env.orgId !== orgId || env.repositoryId !== null)
      throw errors.notFound('repository not found');
    if (access === 'write') throw errors.permissionDenied('instances are read-only');
    return env;
  }

  private async viaClientToken(
    token: string,
    env: Environment | null,
    access: GitAccess,
  ): Promise<Environment> {
    const ct = await this.db.clientToken.findUnique({
      where: { tokenHash: sha256(token) },
      include: { environments: true },
    });
    if (!ct || ct.revokedAt || (ct.expiresAt && ct.expiresAt.getTime() <= Date.now()))
      throw errors.unauthenticated('token is not valid');
    if (
      !env ||
      ct.orgId !== env.orgId ||
      env.repositoryId !== null ||
      !ct.environments.some((e) => e.environmentId === env.id)
    )
      throw errors.notFound('repository not found');
    if (access === 'write') throw errors.permissionDenied('client tokens are read-only');
    return env;
  }
}

/**
 * Data-plane instances read their own organisation's hosted environments with their instance
 * credential (provisioning: only its SHA-256 is stored; one instance per organisation).
 */
async function instanceOrg(db: Database, token: string): Promise<string | undefined> {
  return (
    await db.instance.findFirst({ where: { secretHash: sha256(token) }, select: { orgId: true } })
  )?.orgId;
}

function basicPassword(header: string | undefined): string | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]{1,2000})$/.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}
