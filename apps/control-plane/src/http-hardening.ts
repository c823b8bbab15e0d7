/**
 * Fastify hooks that keep every answer of the HTTP server in the closed error shape, including
 * the ones produced before a route runs:
 * - JSON bodies get libs/flags' iterative depth check first (a 100,000-deep attachment is a 400
 *   naming the limit, not a RangeError in zod), then Fastify's own parser (empty-body and
 *   prototype-poisoning checks stay as they were);
 * - router errors raised before any route (414 for an over-long path parameter, a bad URL);
 * - requests node:http cannot parse (malformed, header section over the limit) get
 *   `{code, message, details}` on the raw socket instead of Fastify's `{error, statusCode}`.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertJsonDepth, HTTP_STATUS } from '@switchyard/flags';

const REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The raw HTTP response for a client error (closed shape; the connection is closed after it). */
export function clientErrorResponse(code: string | undefined): string {
  const [status, message] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request header section (or URL) too large']
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request not received in time']
        : [HTTP_STATUS.InvalidArgument, 'malformed HTTP request'];
  const body = JSON.stringify({
    code: status === 408 ? 'Unavailable' : 'InvalidArgument',
    message,
    details: [],
  });
  return `HTTP/1.1 ${status} ${REASON[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** Fastify `clientErrorHandler`: answers in the closed shape, then closes the socket. */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.end(clientErrorResponse(err.code));
  else socket.destroy();
}

/**
 * Fastify `frameworkErrors`: errors its router raises before any route or hook runs (a path
 * parameter over `maxParamLength` is 414, an undecodable URL 400), in the closed shape and without
 * echoing the URL back.
 */
export function frameworkErrors(
  error: Error & { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const [status, code, message]: [number, string, string] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'InvalidArgument', 'a path segment of the URL is too long']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'InvalidArgument', 'the URL is not validly encoded']
        : [500, 'Internal', 'internal error'];
  void reply
    .status(status)
    .header('content-type', 'application/json')
    .send(JSON.stringify({ code, message, details: [] }));
}

/** Replaces Fastify's `application/json` parser with the depth-checked one. */
export function installJsonParser(fastify: FastifyInstance): void {
  const fastifyJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    try {
      // Depth first, iteratively: Fastify's parser builds the value, zod then walks it recursively.
      assertJsonDepth(text, { field: 'body' });
    } catch (e) {
      done(e as Error, undefined);
      return;
    }
    void fastifyJson(request, text, done);
  });
}
