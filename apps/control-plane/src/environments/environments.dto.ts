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

/** A commit as the status shows it; author, time and message are null until the control plane has the commit locally. */
export const commitSummary = z.object({
  sha: z.string(),
  author: z.object({ name: z.string(), email: z.string() }).nullable(),
  time: z.string().nullable(),
  /** First line of the commit message. */
  message: z.string().nullable(),
});
export type CommitSummary = z.infer<typeof commitSummary>;

/** What the organisation's instance serves for an environment, as it last reported. */
export const environmentStatus = z.object({
  sync: z
    .enum(['in_sync', 'syncing', 'failing', 'never_synced'])
    .describe(
      'in_sync: serving the branch head; syncing: a newer commit is on the branch; failing: the last sync failed (the last good revision keeps serving); never_synced: nothing served yet',
    ),
  /** The revision served (null until the instance has built one). */
  revision: commitSummary.nullable(),
  /** The branch head as the control plane knows it (external repositories: its last fetch). */
  head: z.string().nullable(),
  lastSyncAt: z.string().nullable().describe('last successful sync check'),
  reportedAt: z.string().nullable().describe("the instance's last status report"),
  error: z
    .object({
      message: z.string(),
      /** The commit that failed to build (null: the source could not be fetched). */
      commit: commitSummary.nullable(),
      /** File relative to the environment's directory. */
      file: z.string().nullable(),
      line: z.number().int().nullable(),
      column: z.number().int().nullable(),
      at: z.string().nullable(),
    })
    .nullable(),
  warnings: z
    .array(
      z.object({
        message: z.string(),
        /** File relative to the environment's directory. */
        file: z.string().nullable(),
        line: z.number().int().nullable(),
        column: z.number().int().nullable(),
      }),
    )
    .describe(
      'warnings of the revision served: it loads and serves, but something in it behaves as its message says (e.g. a constraint that never matches); at most 50',
    ),
});
export type EnvironmentStatus = z.infer<typeof environmentStatus>;

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
  status: environmentStatus,
});
export type EnvironmentView = z.infer<typeof environmentView>;
export const environmentPage = pageSchema(environmentView);
