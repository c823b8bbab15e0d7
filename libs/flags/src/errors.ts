/**
 * The closed error vocabulary shared by every Switchyard package. Domain code throws these;
 * each transport maps the set once, exhaustively (HTTP status, gRPC status, OFREP error code).
 */

/** Every error code Switchyard domain code may raise. */
export const ERROR_CODES = [
  'NotFound',
  'InvalidArgument',
  'AlreadyExists',
  'Conflict',
  'FailedPrecondition',
  'Unauthenticated',
  'PermissionDenied',
  'ResourceExhausted',
  'Unavailable',
  'Internal',
] as const;

/** One code of the closed error vocabulary. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Refinements of a code that HTTP tells apart with a status of its own (the code, and so gRPC
 * and the body's `code`, stay the same): a write without `If-Match` (428, FailedPrecondition), an
 * Idempotency-Key reused for another request (422, InvalidArgument) and a request body over the
 * limit (413, ResourceExhausted). A closed list, mapped by each HTTP transport.
 */
export const ERROR_REASONS = [
  'PreconditionRequired',
  'IdempotencyKeyReused',
  'PayloadTooLarge',
] as const;

/** One refinement of an error code. */
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** A field-level problem attached to an InvalidArgument (or any) error. */
export interface FieldViolation {
  /** Dotted field path, e.g. `flags[2].rules[0].distributions[1].variant`. */
  path: string;
  message: string;
  /** Source file, when the problem comes from a flag file. */
  file?: string;
  line?: number;
  column?: number;
}

/** The one error class domain code throws. `details` are safe to show to the caller. */
export class SwitchyardError extends Error {
  override readonly name = 'SwitchyardError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly FieldViolation[] = [],
    readonly meta: Readonly<Record<string, unknown>> = {},
    readonly reason: ErrorReason | undefined = undefined,
  ) {
    super(message);
  }
}

/** True when `e` is a SwitchyardError (optionally of the given code). */
export function isSwitchyardError(e: unknown, code?: ErrorCode): e is SwitchyardError {
  return e instanceof SwitchyardError && (code === undefined || e.code === code);
}

/** Shorthand constructors, one per code. */
export const errors = {
  notFound: (message: string, meta?: Record<string, unknown>) =>
    new SwitchyardError('NotFound', message, [], meta),
  invalidArgument: (message: string, details: readonly FieldViolation[] = []) =>
    new SwitchyardError('InvalidArgument', message, details),
  alreadyExists: (message: string) => new SwitchyardError('AlreadyExists', message),
  conflict: (message: string, meta?: Record<string, unknown>) =>
    new SwitchyardError('Conflict', message, [], meta),
  failedPrecondition: (message: string) => new SwitchyardError('FailedPrecondition', message),
  unauthenticated: (message = 'request was not authenticated') =>
    new SwitchyardError('Unauthenticated', message),
  permissionDenied: (message = 'permission denied') =>
    new SwitchyardError('PermissionDenied', message),
  resourceExhausted: (message: string) => new SwitchyardError('ResourceExhausted', message),
  unavailable: (message: string) => new SwitchyardError('Unavailable', message),
  internal: (message = 'internal error') => new SwitchyardError('Internal', message),
  preconditionRequired: (message: string) =>
    new SwitchyardError('FailedPrecondition', message, [], {}, 'PreconditionRequired'),
  idempotencyKeyReused: (message: string, details: readonly FieldViolation[] = []) =>
    new SwitchyardError('InvalidArgument', message, details, {}, 'IdempotencyKeyReused'),
  payloadTooLarge: (message: string) =>
    new SwitchyardError('ResourceExhausted', message, [], {}, 'PayloadTooLarge'),
} as const;

/** HTTP status for each code; one exhaustive table used by every HTTP transport. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  NotFound: 404,
  InvalidArgument: 400,
  AlreadyExists: 409,
  Conflict: 409,
  FailedPrecondition: 412,
  Unauthenticated: 401,
  PermissionDenied: 403,
  ResourceExhausted: 429,
  Unavailable: 503,
  Internal: 500,
};

/** gRPC status code for each code (also the `code` number in Flipt's JSON error body). */
export const GRPC_STATUS: Readonly<Record<ErrorCode, number>> = {
  NotFound: 5,
  InvalidArgument: 3,
  AlreadyExists: 6,
  Conflict: 10,
  FailedPrecondition: 9,
  Unauthenticated: 16,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  Unavailable: 14,
  Internal: 13,
};
