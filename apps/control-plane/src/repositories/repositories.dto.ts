import { z } from 'zod';
import { orgParams } from '../orgs/orgs.dto.js';
import { id, name, text } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';

/**
 * Remote URL: https:// or ssh:// (http:// passes the shape check; the remote policy refuses it
 * unless the operator set GIT_ALLOW_HTTP), no embedded credentials (they go in `credential`).
 */
const remoteUrl = text(2000)
  .refine(
    (u) => URL.canParse(u) && ['https:', 'ssh:', 'http:'].includes(new URL(u).protocol),
    'must be an https:// or ssh:// URL',
  )
  .refine(
    (u) =>
      !URL.canParse(u) ||
      (new URL(u).username === '' && new URL(u).password === '') ||
      new URL(u).protocol === 'ssh:',
    'put credentials in "credential", not in the URL',
  );

export const repoParams = orgParams.extend({ repositoryId: id });
export const createRepositoryBody = z.strictObject({
  name,
  url: remoteUrl,
  credential: z
    .strictObject({
      username: text(200).optional(),
      secret: z.string().min(1).max(20_000).describe('token, password or private key; write-only'),
    })
    .optional(),
});
export type CreateRepositoryBody = z.infer<typeof createRepositoryBody>;

export const repositoryView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  credential: z
    .object({ username: z.string().nullable() })
    .nullable()
    .describe('the secret is never returned'),
  createdAt: z.string(),
});
export type RepositoryView = z.infer<typeof repositoryView>;
export const repositoryPage = pageSchema(repositoryView);

export const connectionTestView = z.object({
  reachable: z.boolean(),
  branches: z.number().int().describe('branches listed by the remote (0 when not reachable)'),
  message: z.string().describe('the same text for every kind of network failure'),
});
export type ConnectionTestView = z.infer<typeof connectionTestView>;
