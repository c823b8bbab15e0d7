import type { Role } from '@switchyard/db';

/** Who is calling: a user through a browser session, a personal access token, or an operator command. */
export interface Principal {
  userId: string;
  email: string;
  via: 'session' | 'pat' | 'system';
  sessionId?: string;
  tokenId?: string;
  /**
   * SSO connections this credential is authorised for: the connection a session signed in
   * through, or the ones recorded on a PAT when it was minted. Organisations that enforce SSO
   * admit only credentials authorised for one of their enforced connections.
   */
  ssoConnectionIds?: readonly string[];
}

/** The caller's membership of the organisation named in the path, resolved by the guard. */
export interface OrgScope {
  id: string;
  slug: string;
  role: Role;
}

/** What services receive instead of the raw request. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
}

/** Context of an organisation-scoped request: services take orgId only from here. */
export interface OrgContext extends RequestContext {
  org: OrgScope;
}

/** State the guard and interceptors attach to the Fastify request. */
export interface RequestState {
  principal?: Principal;
  org?: OrgScope;
  valid?: { params?: unknown; query?: unknown; body?: unknown };
}

declare module 'fastify' {
  interface FastifyRequest {
    sy?: RequestState;
  }
}
