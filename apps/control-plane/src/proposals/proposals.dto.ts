import { z } from 'zod';
import { text } from '../common/dto.js';
import { envParams } from '../environments/environments.dto.js';
import { entityChangeView } from '../flags/flags.dto.js';

export const proposalParams = envParams.extend({ proposalId: z.uuid() });
export type ProposalParams = z.infer<typeof proposalParams>;
// Lone UTF-16 surrogates cannot be stored (jsonb audit, git commit messages).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const createProposalBody = z.strictObject({
  title: text(200)
    .pipe(z.string().min(1))
    .refine((t) => !LONE_SURROGATE.test(t), 'must be valid Unicode'),
});
export type CreateProposalBody = z.infer<typeof createProposalBody>;

const person = z.object({ userId: z.string(), email: z.string() });
export const proposalView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['open', 'merged']),
  branch: z.string(),
  base: z.string().describe('environment revision the proposal started from'),
  revision: z
    .string()
    .describe(
      'head of the proposal branch: send it as If-Match with ?proposal=<id> to add changes, and to approve what you reviewed',
    ),
  createdBy: person,
  createdAt: z.string(),
  mergedBy: person.optional(),
  mergedRevision: z.string().optional(),
  approvals: z
    .array(
      person.extend({
        revision: z.string().describe('proposal revision reviewed'),
        approvedAt: z.string(),
      }),
    )
    .describe('approvals of the current revision (a later change withdraws earlier ones)'),
  changeRequests: z
    .array(
      person.extend({
        revision: z.string().describe('proposal revision reviewed'),
        comment: z.string(),
        requestedAt: z.string(),
      }),
    )
    .describe('requests for changes to the current revision (a later change withdraws them)'),
});
export type ProposalView = z.infer<typeof proposalView>;
export const proposalList = z.object({ items: z.array(proposalView) });
export const proposalDetail = proposalView.extend({
  files: z.array(z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted']) })),
  patch: z.string(),
  changes: z
    .array(entityChangeView)
    .optional()
    .describe('field-level changes per flag and segment (absent when a side does not load)'),
  mergeable: z.boolean().describe('true when POST …/merge with the current revision would merge'),
  blockers: z.array(z.string()).describe('why it cannot be merged now (empty when mergeable)'),
});
export const requestChangesBody = z.strictObject({
  comment: text(4000)
    .pipe(z.string().min(1))
    .refine((t) => !LONE_SURROGATE.test(t), 'must be valid Unicode')
    .describe('what should change'),
});
export type RequestChangesBody = z.infer<typeof requestChangesBody>;
