import { z } from 'zod';
import { name, slug } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';

// Every org-scoped route takes these; they live in common so features need not import orgs.
export { orgParams, slug } from '../common/dto.js';

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
