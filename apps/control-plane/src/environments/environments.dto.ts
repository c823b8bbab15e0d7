import { z } from 'zod';
import { orgParams } from '../orgs/orgs.dto.js';
import { id, name } from '../common/dto.js';
import { pageSchema } from '../common/pagination.js';

export const envKey = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'lower-case letters, digits and inner dashes, at most 40',
  );
/** A git branch name (subset of check-ref-format: no `..`, no leading `-`, no control characters). */
const branch = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)(?!.*[/.]$)[A-Za-z0-9._/-]+$/,
    'invalid branch name',
  );
/** Relative directory inside the repository; `..`, absolute paths and backslashes are refused. */
const directory = z
  .string()
  .max(500)
  .regex(/^(?:[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*)?$/, 'relative path with / separators')
  .refine(
    (d) => !d.split('/').some((s) => s === '..' || s === '.' || s === '.git'),
    'must not contain ".", ".." or ".git"',
  );

export const envParams = orgParams.extend({ env: envKey });
export const createEnvironmentBody = z.strictObject({
  key: envKey,
  name,
  repositoryId: id.nullable().optional(),
  branch: branch.default('main'),
  directory: directory.default(''),
  protected: z.boolean().default(false),
});
export type CreateEnvironmentBody = z.infer<typeof createEnvironmentBody>;
export const updateEnvironmentBody = z.strictObject({
  name: name.optional(),
  repositoryId: id.nullable().optional(),
  branch: branch.optional(),
  directory: directory.optional(),
  protected: z.boolean().optional(),
});
export type UpdateEnvironmentBody = z.infer<typeof updateEnvironmentBody>;

export const environmentView = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  repositoryId: z.string().nullable(),
  branch: z.string(),
  directory: z.string(),
  protected: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Where SDKs evaluate this environment: REST base URL, gRPC address (null until the instance reports one) and OFREP base URL. */
  urls: z.object({ rest: z.string(), grpc: z.string().nullable(), ofrep: z.string() }),
  /** Hosted environments: whether the repository is the one the database knows (null for external repositories). */
  storage: z
    .object({
      status: z.enum(['ok', 'missing', 'behind']),
      message: z.string().nullable().describe('what was lost and what to do (restore from backup)'),
    })
    .nullable(),
});
export type EnvironmentView = z.infer<typeof environmentView>;
export const environmentPage = pageSchema(environmentView);
