import { z } from 'zod';
import { id } from '../common/dto.js';
import { orgParams } from '../orgs/orgs.dto.js';

/** `:org` and `:domainId`. */
export const domainParams = orgParams.extend({ domainId: id });

const domainName = z
  .string()
  .max(253)
  .transform((d) => d.toLowerCase())
  .pipe(
    z
      .string()
      .regex(
        /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'must be a domain name such as example.com (no scheme, port, path or trailing dot)',
      ),
  );

export const createDomainBody = z.strictObject({
  domain: domainName.describe('the e-mail domain the organisation owns, e.g. example.com'),
});
export type CreateDomainBody = z.infer<typeof createDomainBody>;

export const domainView = z.object({
  id: z.string(),
  domain: z.string(),
  status: z
    .enum(['pending', 'verified'])
    .describe(
      'verified: this organisation’s SSO connections may create and link accounts for the domain',
    ),
  verification: z
    .object({ type: z.literal('TXT'), name: z.string(), value: z.string() })
    .describe('publish this DNS record, then call verify; keep it published'),
  verifiedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type DomainView = z.infer<typeof domainView>;
export const domainList = z.object({ items: z.array(domainView) });
