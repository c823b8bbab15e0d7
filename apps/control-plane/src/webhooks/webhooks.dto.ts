import { z } from 'zod';
import { id } from '../common/dto.js';
import { repoParams } from '../repositories/repositories.dto.js';

export const webhookParams = z.object({ provider: z.enum(['github', 'gitlab']), repositoryId: id });
export type WebhookParams = z.infer<typeof webhookParams>;
export const webhookResult = z.object({
  environments: z.array(z.object({ key: z.string(), revision: z.string() })),
});
export const webhookConfigParams = repoParams;
export const webhookConfig = z.object({
  github: z.object({
    path: z.string(),
    secret: z.string(),
    contentType: z.literal('application/json'),
  }),
  gitlab: z.object({ path: z.string(), token: z.string() }),
});
