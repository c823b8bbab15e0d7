import { z } from 'zod';
import { orgParams } from '../orgs/orgs.dto.js';
import { futureInstant, id, instantOrNull, name } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';
import { envKey } from '../environments/environments.dto.js';

const namespaceKey = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'invalid namespace key');

export const clientTokenParams = orgParams.extend({ tokenId: id });
export const createClientTokenBody = z.strictObject({
  name,
  environments: z.array(envKey).min(1).max(100).describe('environment keys the token may read'),
  namespaces: z.array(namespaceKey).max(100).default([]).describe('empty = every namespace'),
  expiresAt: futureInstant.optional(),
});
export type CreateClientTokenBody = z.infer<typeof createClientTokenBody>;

export const clientTokenView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  environments: z.array(z.string()),
  namespaces: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: instantOrNull,
  revokedAt: instantOrNull,
  lastUsedAt: instantOrNull,
});
export type ClientTokenView = z.infer<typeof clientTokenView>;
export const createdClientToken = clientTokenView.extend({
  token: z.string().describe('the secret, shown once'),
});
export const clientTokenPage = pageSchema(clientTokenView);
