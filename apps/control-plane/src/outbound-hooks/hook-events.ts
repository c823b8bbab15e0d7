/**
 * The vocabulary of outbound webhooks: which events an organisation can subscribe a hook to and
 * the JSON envelope every delivery carries. The envelope is versioned by its fields only (new
 * fields may appear; existing ones keep their meaning), and receivers deduplicate by `id`: a
 * redelivery resends the same body, the same `id` included.
 */

/** Event types a hook can subscribe to. */
export const HOOK_EVENT_TYPES = [
  'commit',
  'proposal.opened',
  'proposal.approved',
  'proposal.merged',
  'proposal.changes_requested',
  'promotion',
  'schedule.applied',
  'schedule.failed',
  'token.created',
  'token.revoked',
] as const;

/** One subscribable event type. */
export type HookEventType = (typeof HOOK_EVENT_TYPES)[number];

/** What the test-delivery action sends (every hook receives it, whatever it subscribes to). */
export const PING_EVENT = 'ping';

/** Who made a commit. */
export interface HookCommit {
  sha: string;
  author: { name: string; email: string } | null;
  message: string;
  /** The revision the environment moved from, when known. */
  previous: string | null;
}

/** One changed field of a flag or segment (libs/flags field diff; path formatted `rules[0].segment`). */
export interface HookFieldChange {
  kind: 'added' | 'removed' | 'changed' | 'moved';
  path: string;
  before?: unknown;
  after?: unknown;
}

/** One flag or segment a commit changed, with its field-level changes. */
export interface HookObjectDiff {
  namespace: string;
  kind: 'flag' | 'segment';
  key: string;
  change: 'added' | 'removed' | 'changed';
  fields: HookFieldChange[];
}

/** The diff part of a commit-carrying payload. */
export interface HookDiff {
  /** Flags and segments changed (empty when the commit changed none, e.g. a proposal's metadata). */
  objects: HookObjectDiff[];
  /** True when the diff was too large to describe (too many files or fields); `objects` is then partial or empty. */
  truncated: boolean;
}

/** What every delivery body is: the envelope plus type-specific fields. */
export interface HookPayload {
  id: string;
  type: HookEventType | typeof PING_EVENT;
  occurredAt: string;
  org: { id: string; slug: string };
  environment?: { key: string } | undefined;
  commit?: HookCommit | undefined;
  diff?: HookDiff | undefined;
  actor?: { email: string } | undefined;
  [field: string]: unknown;
}

/** An event as announced by a feature (the envelope's id and time are filled in by the emitter). */
export interface HookEventInput {
  orgId: string;
  type: HookEventType;
  /** Deterministic id when the same event can be announced twice (e.g. `commit` per revision). */
  id?: string;
  environment?: string;
  actor?: string;
  /** Type-specific fields (proposal, token, schedule, promotion, …). */
  data?: Record<string, unknown>;
  /** A commit to describe (sha, author, message and the field-level diff against `previous`). */
  commit?: { envKey: string; revision: string; previous?: string | undefined };
}
