/**
 * A fetch that only connects where the address policy allows, to the exact addresses it checked:
 * the host is resolved and checked once, then node:http(s) is given a `lookup` that answers with
 * those addresses only, so a second resolution (DNS rebinding) can never be used. TLS still
 * verifies the certificate against the host name. Redirects are never followed (the caller sees
 * the 3xx), and response bodies are bounded.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { errors } from '@switchyard/flags';
import { checkTarget, targetOf, type AddressPolicy, type CheckedTarget } from './address-policy.js';

/** The subset of RequestInit this fetch understands. */
export interface PolicyFetchInit {
  method?: string | undefined;
  headers?: Headers | Record<string, string> | [string, string][] | undefined;
  body?: string | URLSearchParams | Uint8Array | ArrayBuffer | ReadableStream | null | undefined;
  signal?: AbortSignal | null | undefined;
  redirect?: string | undefined;
}

/** A fetch-compatible function (what openid-client's `customFetch` expects). */
export type PolicyFetch = (url: string | URL, init?: PolicyFetchInit) => Promise<Response>;

/** Limits of {@link policyFetch}. */
export interface PolicyFetchOptions {
  /** Largest response body read; default 1 MiB. */
  maxResponseBytes?: number;
  /** Deadline of one request (connect to last byte); default 10 s. */
  timeoutMs?: number;
  /** Field path named in a refusal (e.g. `issuer`); default `url`. */
  field?: string;
}

/** Statuses whose Response must have a null body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** A fetch bound to `policy`: refuses non-public targets (InvalidArgument) and pins what it checked. */
export function policyFetch(policy: AddressPolicy, options: PolicyFetchOptions = {}): PolicyFetch {
  const field = options.field ?? 'url';
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const target = url.protocol === 'ssh:' ? undefined : targetOf(url);
    if (!target || url.username !== '' || url.password !== '')
      throw errors.invalidArgument('only http(s) URLs without credentials may be fetched', [
        { path: field, message: 'must be an http(s) URL without credentials' },
      ]);
    const checked = await checkTarget(target, policy, field);
    const headers = new Headers(init.headers);
    const body = await requestBody(init, headers);
    if (body) headers.set('content-length', String(body.length));
    return send(url, checked, { method: init.method, headers, body, signal: init.signal }, options);
  };
}

function pinnedLookup(checked: CheckedTarget): LookupFunction {
  const all = checked.addresses.map((address) => ({
    address,
    family: address.includes(':') ? 6 : 4,
  }));
  return ((_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const first = all[0];
    if (opts.all === true) callback(null, all);
    else callback(null, first?.address, first?.family);
  }) as unknown as LookupFunction;
}

async function requestBody(init: PolicyFetchInit, headers: Headers): Promise<Buffer | undefined> {
  const body = init.body;
  if (body === undefined || body === null) return undefined;
  if (body instanceof ReadableStream) return Buffer.from(await new Response(body).arrayBuffer());
  if (body instanceof URLSearchParams && !headers.has('content-type'))
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
  return typeof body === 'string' || body instanceof URLSearchParams
    ? Buffer.from(body.toString(), 'utf8')
    : Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : body);
}

interface Outgoing {
  method: string | undefined;
  headers: Headers;
  body: Buffer | undefined;
  signal: AbortSignal | null | undefined;
}

function send(
  url: URL,
  checked: CheckedTarget,
  init: Outgoing,
  options: PolicyFetchOptions,
): Promise<Response> {
  const { headers, body } = init;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, {
      method: init.method ?? 'GET',
      headers: Object.fromEntries(headers),
      lookup: pinnedLookup(checked),
      signal: init.signal ?? undefined,
    });
    const timer = setTimeout(
      () => req.destroy(new Error('request timed out')),
      options.timeoutMs ?? 10_000,
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.on('response', (res) => {
      readBody(res, options.maxResponseBytes ?? 1024 * 1024).then(
        (bytes) => {
          clearTimeout(timer);
          resolve(toResponse(res, bytes));
        },
        (e: unknown) => {
          clearTimeout(timer);
          req.destroy();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
    req.end(body);
  });
}

function readBody(res: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) res.destroy(new Error(`response larger than ${max} bytes`));
      else chunks.push(c);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('close', () => {
      if (!res.complete) reject(new Error('connection closed before the response ended'));
    });
  });
}

function toResponse(res: IncomingMessage, bytes: Buffer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) headers.append(name, v);
  }
  const status = res.statusCode ?? 502;
  return new Response(NULL_BODY.has(status) ? null : new Uint8Array(bytes), {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
}
