/** The control plane's error body (`{code, message, details}`), closed vocabulary. */
export interface ApiErrorBody {
  code:
    | 'NotFound'
    | 'InvalidArgument'
    | 'AlreadyExists'
    | 'Conflict'
    | 'FailedPrecondition'
    | 'Unauthenticated'
    | 'PermissionDenied'
    | 'ResourceExhausted'
    | 'Unavailable'
    | 'Internal';
  message: string;
  details: { path: string; message: string }[];
}

/** Thrown by the client helpers when the API answers with an error. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }

  /** Field violations of the request body, keyed by field path without the `body.` prefix. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.body.details)
      if (d.path.startsWith('body.')) out[d.path.slice('body.'.length)] ??= d.message;
    return out;
  }
}

/** Normalises whatever an API call produced into an {@link ApiError}. */
export function toApiError(status: number, body: unknown): ApiError {
  const b = body as Partial<ApiErrorBody> | undefined;
  if (b && typeof b.code === 'string' && typeof b.message === 'string')
    return new ApiError(status, {
      code: b.code,
      message: b.message,
      details: Array.isArray(b.details) ? b.details : [],
    });
  return new ApiError(status, {
    code: status >= 500 ? 'Unavailable' : 'Internal',
    message:
      status >= 500
        ? 'The control plane is unavailable. Try again in a moment.'
        : `Unexpected response (${status}).`,
    details: [],
  });
}

/** A sentence for people: what happened and, where it helps, what to do. */
export function describeError(e: unknown): string {
  if (!(e instanceof ApiError)) return 'Something went wrong. Check your connection and try again.';
  switch (e.body.code) {
    case 'PermissionDenied':
      return `Not allowed: ${e.body.message}. Ask an owner or admin of this organisation.`;
    case 'Unauthenticated':
      return 'Your session has ended. Sign in again.';
    case 'ResourceExhausted':
      return `Limit reached: ${e.body.message}.`;
    default:
      return e.body.message;
  }
}
