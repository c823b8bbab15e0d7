import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  errors,
  isSwitchyardError,
  type ErrorCode,
  type ErrorReason,
  type SwitchyardError,
} from '@switchyard/flags';

/**
 * The `default` of an exhaustive switch over the closed error set: it only compiles while every
 * case is handled, so a new code or reason fails the build of each transport until it is mapped.
 */
export function unmapped(value: never): never {
  throw new Error(`unmapped error code or reason ${String(value)}`);
}

/** HTTP status of each code of the closed set. */
function statusOfCode(code: ErrorCode): number {
  switch (code) {
    case 'NotFound':
      return 404;
    case 'InvalidArgument':
      return 400;
    case 'AlreadyExists':
    case 'Conflict':
      return 409;
    case 'FailedPrecondition':
      return 412;
    case 'Unauthenticated':
      return 401;
    case 'PermissionDenied':
      return 403;
    case 'ResourceExhausted':
      return 429;
    case 'Unavailable':
      return 503;
    case 'Internal':
      return 500;
    default:
      return unmapped(code);
  }
}

/** HTTP status of an error: its reason's own status when it has one, else its code's. */
export function httpStatus(err: SwitchyardError): number {
  const reason: ErrorReason | undefined = err.reason;
  switch (reason) {
    case undefined:
      return statusOfCode(err.code);
    case 'PreconditionRequired':
      return 428; // RFC 6585: the write must be conditional (If-Match)
    case 'IdempotencyKeyReused':
      return 422;
    case 'PayloadTooLarge':
      return 413;
    default:
      return unmapped(reason);
  }
}

function fromHttpStatus(status: number, message: string): SwitchyardError {
  if (status === 401) return errors.unauthenticated(message);
  if (status === 403) return errors.permissionDenied(message);
  if (status === 404) return errors.notFound(message);
  if (status === 409) return errors.conflict(message);
  if (status === 429) return errors.resourceExhausted(message);
  if (status >= 400 && status < 500) return errors.invalidArgument(message);
  return errors.internal();
}

/** Maps anything thrown to the closed vocabulary; unknown errors become Internal (never leaked). */
export function toSwitchyardError(e: unknown): SwitchyardError {
  if (isSwitchyardError(e)) return e;
  if (e instanceof HttpException) return fromHttpStatus(e.getStatus(), e.message);
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'P2002')
    return errors.alreadyExists('a resource with these unique fields already exists');
  if (code === 'P2025') return errors.notFound('resource not found');
  // Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode.
  const statusCode = (e as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return fromHttpStatus(statusCode, (e as Error).message);
  }
  return errors.internal();
}

/** The one place an error becomes an HTTP response `{code, message, details}`. */
export function sendError(e: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const err = toSwitchyardError(e);
  const status = httpStatus(err);
  if (status >= 500) request.log.error({ err: e }, 'request failed');
  else if (err.code === 'PermissionDenied' || err.code === 'Unauthenticated')
    request.log.warn({ code: err.code, reason: err.message }, 'access refused');
  else request.log.info({ code: err.code }, 'request rejected');
  // A stale write (Conflict) names the revision the client must reload: in the body and as ETag.
  // A rate-limited request says when to come back (RFC 9110 Retry-After, in seconds).
  const retryAfter = err.meta['retryAfterSeconds'];
  if (err.code === 'ResourceExhausted' && typeof retryAfter === 'number')
    void reply.header('retry-after', String(retryAfter));
  const revision = err.meta['revision'];
  if (typeof revision === 'string') void reply.header('etag', `"${revision}"`);
  void reply.status(status).send({
    code: err.code,
    message: err.message,
    details: err.details,
    ...(typeof revision === 'string' ? { currentRevision: revision } : {}),
  });
}

/** Global Nest filter delegating to {@link sendError}. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
