import { z } from 'zod';
import { id, name, text } from '../common/dto.js';
import { orgParams } from '../orgs/orgs.dto.js';

const role = z.enum(['OWNER', 'ADMIN', 'EDITOR', 'VIEWER']);
const hostname = z
  .string()
  .max(253)
  .regex(
    /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^(localhost|127\.0\.0\.1)(:\d{1,5})?$/,
    'must be a lower-case host name',
  );
const issuerUrl = text(500).refine((u) => {
  if (!URL.canParse(u)) return false;
  const url = new URL(u);
  return (
    ['https:', 'http:'].includes(url.protocol) &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash
  );
}, 'must be an https:// URL without credentials, query or fragment');

/** `:org` and `:connectionId`. */
export const connectionParams = orgParams.extend({ connectionId: id });

const fields = {
  name,
  issuer: issuerUrl.optional().describe('exact issuer identifier; or give `domain`'),
  domain: hostname
    .optional()
    .describe('Okta org domain or Auth0 (custom) domain: the issuer is derived from it'),
  clientId: text(500).min(1),
  clientSecret: z
    .string()
    .min(1)
    .max(2000)
    .describe('write-only: stored encrypted, never returned'),
  allowedDomains: z
    .array(
      z
        .string()
        .max(253)
        .regex(
          /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          'must be a lower-case domain',
        ),
    )
    .max(50),
  roleMapping: z.strictObject({
    claim: text(200)
      .min(1)
      .optional()
      .describe(
        'claim holding groups or roles; default `groups` (Auth0: `https://switchyard.dev/roles`)',
      ),
    values: z
      .record(text(200), role)
      .refine((v) => Object.keys(v).length <= 200, 'at most 200 entries'),
    requireMatch: z
      .boolean()
      .optional()
      .describe(
        'only mapped values grant membership; without one the login is refused and the membership removed',
      ),
  }),
  defaultRole: z.enum(['ADMIN', 'EDITOR', 'VIEWER']).describe('role when no mapping matches'),
  auth0Organization: z
    .string()
    .regex(/^org_[A-Za-z0-9]{1,64}$/, 'must be an Auth0 organization id (org_…)')
    .nullable(),
  enforce: z.boolean().describe('members must sign in through this organisation’s SSO'),
  enabled: z
    .boolean()
    .describe('off: the connection starts and completes no login (an enforced one cannot be off)'),
};

export const createSsoConnectionBody = z
  .strictObject({
    kind: z.enum(['GOOGLE', 'OKTA', 'AUTH0', 'OIDC']),
    ...fields,
    allowedDomains: fields.allowedDomains.default([]),
    roleMapping: fields.roleMapping.optional(),
    defaultRole: fields.defaultRole.default('VIEWER'),
    auth0Organization: fields.auth0Organization.optional(),
    enforce: fields.enforce.default(false),
    enabled: fields.enabled.default(true),
  })
  .superRefine((b, ctx) => {
    if (b.kind !== 'GOOGLE' && !b.issuer && !b.domain)
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'give `issuer` or `domain`' });
    if (b.kind === 'GOOGLE' && b.allowedDomains.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['allowedDomains'],
        message: 'a Google connection needs the Workspace domain(s) its `hd` claim must match',
      });
    if (b.enforce && !b.enabled)
      ctx.addIssue({
        code: 'custom',
        path: ['enabled'],
        message: 'an enforced connection cannot be turned off',
      });
    if (b.kind !== 'AUTH0' && b.auth0Organization)
      ctx.addIssue({
        code: 'custom',
        path: ['auth0Organization'],
        message: 'only for AUTH0 connections',
      });
  });
export type CreateSsoConnectionBody = z.infer<typeof createSsoConnectionBody>;

export const updateSsoConnectionBody = z.strictObject({
  name: fields.name.optional(),
  issuer: fields.issuer,
  domain: fields.domain,
  clientId: fields.clientId.optional(),
  clientSecret: fields.clientSecret.optional(),
  allowedDomains: fields.allowedDomains.optional(),
  roleMapping: fields.roleMapping.optional(),
  defaultRole: fields.defaultRole.optional(),
  auth0Organization: fields.auth0Organization.optional(),
  enforce: fields.enforce.optional(),
  enabled: fields.enabled.optional(),
});
export type UpdateSsoConnectionBody = z.infer<typeof updateSsoConnectionBody>;

export const ssoConnectionView = z.object({
  id: z.string(),
  kind: z.enum(['GOOGLE', 'OKTA', 'AUTH0', 'OIDC']),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  allowedDomains: z.array(z.string()),
  roleMapping: z.object({
    claim: z.string(),
    values: z.record(z.string(), role),
    requireMatch: z.boolean(),
  }),
  defaultRole: role,
  auth0Organization: z.string().nullable(),
  enforce: z.boolean(),
  enabled: z.boolean(),
  loginUrl: z.string().describe('start a login through this connection'),
  callbackUrl: z.string().describe('register this redirect URI at the identity provider'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SsoConnectionView = z.infer<typeof ssoConnectionView>;
export const ssoConnectionList = z.object({ items: z.array(ssoConnectionView) });

/** `GET /auth/login` query. */
export const loginQuery = z.object({
  connection: z.union([z.literal('platform'), id]).describe('connection id, or `platform`'),
  returnTo: z
    .string()
    .max(2000)
    .optional()
    .describe('same-origin path to land on; anything else becomes `/`'),
  link: z
    .literal('1')
    .optional()
    .describe(
      'link this connection’s identity to the signed-in account (needs the session cookie and `csrf`)',
    ),
  csrf: z
    .string()
    .max(200)
    .optional()
    .describe('with `link=1`: the session’s CSRF token (from `GET /api/v1/session`)'),
});
export type LoginQuery = z.infer<typeof loginQuery>;
/** `GET /auth/callback/:connectionId` params (the IdP's query is read raw: it is the authorization response). */
export const callbackParams = z.object({ connectionId: z.union([z.literal('platform'), id]) });
export const logoutView = z.object({
  redirectTo: z
    .string()
    .describe('navigate here: the IdP end-session endpoint, or the post-logout page'),
});

/** `POST /auth/discover`: an e-mail address or an organisation slug, exactly one. */
export const discoverBody = z
  .strictObject({
    email: z
      .string()
      .max(320)
      .regex(/^[^@\s]+@[^@\s]+$/, 'must be an e-mail address such as ada@example.com')
      .optional()
      .describe('your work e-mail: its domain finds the organisation that verified it'),
    org: z
      .string()
      .max(40)
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'must be an organisation slug such as acme')
      .optional()
      .describe('the organisation slug, as in /orgs/{org}'),
  })
  .refine((b) => (b.email === undefined) !== (b.org === undefined), {
    message: 'give either `email` or `org`, not both and not neither',
    path: ['email'],
  });
export type DiscoverBody = z.infer<typeof discoverBody>;
export const discoverView = z.object({
  found: z.boolean(),
  connection: z
    .object({ id: z.string(), name: z.string(), kind: z.string() })
    .nullable()
    .describe('the SSO connection to sign in with (an enforced one first)'),
  loginUrl: z
    .string()
    .nullable()
    .describe('navigate here to sign in (append `&returnTo=/path` to land elsewhere than `/`)'),
  message: z.string(),
});
export type DiscoverView = z.infer<typeof discoverView>;
