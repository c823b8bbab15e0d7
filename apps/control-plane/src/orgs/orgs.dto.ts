import { z } from 'zod';
import { name } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';

/** Organisation slug: lower-case DNS label (it appears in evaluation hostnames). */
export const slug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'lower-case letters, digits and inner dashes, at most 40',
  );
export const orgParams = z.object({ org: slug.describe('organisation slug') });

export const createOrgBody = z.strictObject({ slug, name });
export type CreateOrgBody = z.infer<typeof createOrgBody>;
export const renameOrgBody = z.strictObject({ name });
export type RenameOrgBody = z.infer<typeof renameOrgBody>;
export const deleteOrgBody = z.strictObject({
  confirm: z.string().describe('must repeat the organisation slug'),
});
export type DeleteOrgBody = z.infer<typeof deleteOrgBody>;

export const orgView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  role: z.enum(['OWNER', 'ADMIN', 'EDITOR', 'VIEWER']).describe("the caller's role"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrgView = z.infer<typeof orgView>;
export const orgPage = pageSchema(orgView);
