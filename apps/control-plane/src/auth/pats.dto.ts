import { z } from 'zod';
import { futureInstant, id, instantOrNull, name } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';

export const createPatBody = z.strictObject({ name, expiresAt: futureInstant.optional() });
export type CreatePatBody = z.infer<typeof createPatBody>;
export const patParams = z.object({ tokenId: id });

export const patView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('display prefix; the full token is shown only at creation'),
  createdAt: z.string(),
  expiresAt: instantOrNull,
  lastUsedAt: instantOrNull,
  revokedAt: instantOrNull,
  ssoConnectionIds: z
    .array(z.string())
    .describe(
      'SSO connections the creating session signed in through: the token reaches organisations that enforce SSO only through these',
    ),
});
export type PatView = z.infer<typeof patView>;
export const createdPat = patView.extend({ token: z.string().describe('the secret, shown once') });
export const patPage = pageSchema(patView);

export const meView = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });
export const sessionView = z.object({
  user: meView,
  via: z.enum(['session', 'pat', 'system']),
  csrfToken: z
    .string()
    .nullable()
    .describe('send as X-CSRF-Token on cookie-authenticated mutations'),
});

export const mySessionParams = z.object({ sessionId: id });
export const mySessionView = z.object({
  id: z.string(),
  current: z.boolean().describe('the session this request came with (revoking it signs out)'),
  createdAt: z.string().describe('when the sign-in happened'),
  lastSeenAt: z.string().describe('last request (updated at most once a minute)'),
  expiresAt: z.string().describe('absolute end of the session'),
  userAgent: z.string().nullable().describe('browser at sign-in, when recorded'),
  ip: z.string().nullable().describe('client address at sign-in, when recorded'),
  signedInWith: z
    .object({ connectionId: z.string(), name: z.string() })
    .nullable()
    .describe('the SSO connection of the sign-in (null: a session made another way)'),
});
export type MySessionView = z.infer<typeof mySessionView>;
export const mySessionList = z.object({ items: z.array(mySessionView) });
