import { describe, expect, it } from 'vitest';
import { isOperationsPath } from './edge-router.js';
import {
  connectionTokens,
  endToEndHeaders,
  normaliseAddress,
  upstreamRequestHeaders,
} from './forward-headers.js';

describe('issue 10 item 10: forwarded headers', () => {
  it('drops hop-by-hop headers and every header named in Connection, case-insensitively and across repeats', () => {
    expect([...connectionTokens(['close, Authorization', ' X-A ,'])]).toEqual([
      'close',
      'authorization',
      'x-a',
    ]);
    const out = endToEndHeaders({
      connection: 'close, Authorization',
      authorization: 'Bearer t',
      te: 'trailers',
      'transfer-encoding': 'chunked',
      upgrade: 'h2c',
      host: 'h',
      'x-kept': '1',
    });
    expect(out).toEqual({ 'x-kept': '1' });
  });

  it('overwrites forwarding claims of an untrusted peer and extends a trusted proxy’s chain', () => {
    const inbound = {
      host: 'edge.example',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
      forwarded: 'for=6.6.6.6',
      'x-real-ip': '6.6.6.6',
    };
    expect(
      upstreamRequestHeaders(inbound, { peer: '10.0.0.9', trusted: false, proto: 'http' }, []),
    ).toEqual({
      'x-forwarded-for': '10.0.0.9',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'edge.example',
    });
    expect(
      upstreamRequestHeaders(inbound, { peer: '10.0.0.9', trusted: true, proto: 'http' }, []),
    ).toEqual({
      'x-forwarded-for': '6.6.6.6, 10.0.0.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
      forwarded: 'for=6.6.6.6',
      'x-real-ip': '6.6.6.6',
    });
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseAddress('::1')).toBe('::1');
  });
});

describe('issue 10 item 6: operations paths', () => {
  it('recognises /ready, /metrics and /debug however they are spelled, and nothing an SDK uses', () => {
    for (const p of [
      '/ready',
      '/metrics',
      '/READY',
      '/ready/',
      '//ready',
      '/./ready',
      '/%72eady',
      '/metrics?x=1',
      '/debug/pprof',
      '\\ready',
    ])
      expect(isOperationsPath(p), p).toBe(true);
    for (const p of [
      '/health',
      '/evaluate/v1/boolean',
      '/ofrep/v1/evaluate/flags',
      '/api/v1/namespaces/ready/flags',
      '/readyz',
      '/client/v2/environments/metrics/namespaces/x/snapshot',
    ])
      expect(isOperationsPath(p), p).toBe(false);
  });
});
