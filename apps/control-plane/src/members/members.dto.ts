import { z } from 'zod';
import { orgParams } from '../orgs/orgs.dto.js';
import { id } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';

export const role = z.enum(['OWNER', 'ADMIN', 'EDITOR', 'VIEWER']);
export const memberParams = orgParams.extend({ userId: id });
export const inviteMemberBody = z.strictObject({ email: z.email().max(254).transform((e) => e.toLowerCase()), role });
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
