import { z } from 'zod';

/** Seconds without a status report after which the instance's state is shown as stale. */
export const STALE_AFTER_MS = 30_000;

/** The organisation's data-plane instance as members see it. */
export const instanceView = z.object({
  status: z.enum([
    'pending',
    'provisioning',
    'ready',
    'degraded',
    'failed',
    'deleting',
    'sleeping',
  ]),
  /** A sentence for every member: what the status means and, when it is bad, what to do. */
  summary: z.string(),
  reportedAt: z.string().nullable().describe("the instance's last status report"),
  /** No report for longer than 30 s while the instance should be running. */
  stale: z.boolean(),
  startedAt: z
    .string()
    .nullable()
    .describe('when the running process started (null: not reported)'),
  restarts: z
    .number()
    .int()
    .nullable()
    .describe('process restarts the control plane has seen (null: not known)'),
  environments: z.object({
    total: z.number().int(),
    serving: z.number().int(),
    failing: z.number().int(),
  }),
  /** Operator details, present for admins and owners only (internal addresses, raw errors). */
  admin: z
    .object({
      lastError: z.string().nullable(),
      endpoint: z.string().nullable(),
      step: z.string().nullable(),
      generation: z.number().int(),
      observedGeneration: z.number().int(),
      configVersion: z.string().nullable(),
    })
    .nullable(),
});
export type InstanceView = z.infer<typeof instanceView>;
