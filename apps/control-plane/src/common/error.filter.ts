import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors, HTTP_STATUS, isSwitchyardError, type SwitchyardError } from '@switchyard/flags';

/** `meta.httpStatus` override allowed by the filter (422 for a reused Idempotency-Key). */
export const UNPROCESSABLE = 422;
/** `meta.httpStatus` override for a write without `If-Match` (RFC 6585). */
export const PRECONDITION_REQUIRED = 428;
const STATUS_OVERRIDES = new Set<unknown>([UNPROCESSABLE, PRECONDITION_REQUIRED]);

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
  const status = STATUS_OVERRIDES.has(err.meta['httpStatus'])
    ? (err.meta['httpStatus'] as number)
    : HTTP_STATUS[err.code];
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
