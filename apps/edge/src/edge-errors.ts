/**
 * The edge's one error mapping: every answer the edge itself gives (unknown environment, refused
 * path, URL or headers too large, malformed request, instance unreachable) uses the closed shape
 * the instances use behind it, Flipt's `{code, message, details}` with the gRPC code number, so
 * an SDK sees one error format whichever hop answered.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** The subset of the closed vocabulary the edge answers with. */
export type EdgeErrorCode = 'NotFound' | 'InvalidArgument' | 'Unavailable';

const GRPC_CODE: Readonly<Record<EdgeErrorCode, number>> = {
  InvalidArgument: 3,
  NotFound: 5,
  Unavailable: 14,
};
const REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  502: 'Bad Gateway',
};

/** An error the edge answers with. */
export interface EdgeError {
  status: 400 | 404 | 414 | 431 | 502 | 503;
  code: EdgeErrorCode;
  message: string;
}

/** The JSON body of an edge error. */
export function edgeErrorBody(e: EdgeError): string {
  return JSON.stringify({ code: GRPC_CODE[e.code], message: e.message, details: [] });
}

/** Answers `e` on a response (or cuts a response whose head already went out). */
export function sendEdgeError(res: ServerResponse, e: EdgeError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(e.status, { 'content-type': 'application/json' }).end(edgeErrorBody(e));
}

/**
 * node:http `clientError` handler: requests it cannot parse (bad syntax, header section or URL
 * over the header size limit) get the closed shape on the raw socket instead of a bare status line.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const e: EdgeError =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? {
          status: 431,
          code: 'InvalidArgument',
          message: 'request header section (or URL) too large',
        }
      : { status: 400, code: 'InvalidArgument', message: 'malformed HTTP request' };
  const body = edgeErrorBody(e);
  socket.end(
    `HTTP/1.1 ${e.status} ${REASON[e.status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
