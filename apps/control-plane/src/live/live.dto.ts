import { z } from 'zod';

/** The `data` of one `event: commit` frame of an environment's event stream. */
export const commitEvent = z.object({
  revision: z.string(),
  /** Null when the commit is not readable on this replica (an external push announced by webhook). */
  author: z.object({ name: z.string(), email: z.string() }).nullable(),
  message: z.string(),
  /** Flags whose content changed; absent when the diff was too large or not readable. */
  changedFlags: z.array(z.object({ namespace: z.string(), key: z.string() })).optional(),
});
export type CommitEventDto = z.infer<typeof commitEvent>;

/** Frames of `GET …/environments/{env}/events` (documented as text/event-stream). */
export const environmentEventStream = z
  .object({
    event: z.enum(['commit', 'resync']),
    data: commitEvent.or(z.object({})),
  })
  .describe(
    'Server-sent events: `event: commit` (data: the commit) on every change of the environment; ' +
      '`event: resync` (data: {}) when changes may have been missed (also at once when a ' +
      'reconnect names an older revision in Last-Event-ID), refetch; comment lines as heartbeats.',
  );
