import { z } from 'zod';
import { orgParams } from '../orgs/orgs.dto.js';
import { id } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';

export const role = z.enum(['OWNER', 'ADMIN', 'EDITOR', 'VIEWER']);
export const memberParams = orgParams.extend({ userId: id });
// `.invalid` (RFC 2606) addresses are the placeholders of accounts whose e-mail no one verified: never invitable.
const invitable = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())
  .refine((e) => !e.endsWith('.invalid'), 'must be a deliverable address (not .invalid)');
export const inviteMemberBody = z.strictObject({ email: invitable, role });
export type InviteMemberBody = z.infer<typeof inviteMemberBody>;
export const changeRoleBody = z.strictObject({ role });
export type ChangeRoleBody = z.infer<typeof changeRoleBody>;

export const memberView = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role,
  createdAt: z.string(),
});
export type MemberView = z.infer<typeof memberView>;
export const memberPage = pageSchema(memberView);
