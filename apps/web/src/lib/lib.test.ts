import { describe, expect, it } from 'vitest';
import { toApiError } from './api/errors';
import {
  companySsoInput,
  connectionFromInput,
  isConnectionId,
  linkHref,
  loginHref,
} from './login-messages';
import { safeReturnTo } from './return-to';
import { describeUserAgent } from './user-agent';
import { snippets } from './snippets';

describe('safeReturnTo', () => {
  it('keeps same-origin paths and turns everything else into /', () => {
    expect(safeReturnTo('/orgs/acme/tokens?x=1')).toBe('/orgs/acme/tokens?x=1');
    for (const bad of [
      '//evil.com',
      '/\\evil.com',
      'https://evil.com',
      '/\t/evil.com',
      '',
      undefined,
      'orgs',
    ])
      expect(safeReturnTo(bad)).toBe('/');
  });
});

describe('company sign-in link', () => {
  it('accepts a connection id or a link naming one', () => {
    expect(connectionFromInput(' 0195f0c2-aaaa-7bbb-8ccc-0123456789ab ')).toBe(
      '0195f0c2-aaaa-7bbb-8ccc-0123456789ab',
    );
    expect(connectionFromInput('https://console.example.com/login?connection=abc-123')).toBe(
      'abc-123',
    );
    expect(connectionFromInput('https://console.example.com/login')).toBeNull();
    expect(connectionFromInput('not a link at all')).toBeNull();
  });

  it('reads company SSO input as an e-mail, an organisation slug or a sign-in link', () => {
    expect(companySsoInput(' ada@acme.example ')).toEqual({
      kind: 'email',
      email: 'ada@acme.example',
    });
    expect(companySsoInput('Acme')).toEqual({ kind: 'org', org: 'acme' });
    expect(companySsoInput('0195f0c2-aaaa-7bbb-8ccc-0123456789ab')).toEqual({
      kind: 'connection',
      connection: '0195f0c2-aaaa-7bbb-8ccc-0123456789ab',
    });
    expect(companySsoInput('https://console.example.com/login?connection=abc-123')).toEqual({
      kind: 'connection',
      connection: 'abc-123',
    });
    expect(companySsoInput('not a link at all')).toBeNull();
    expect(companySsoInput('@acme')).toBeNull();
  });

  it('builds the login start path with an encoded returnTo', () => {
    expect(loginHref('platform', '/orgs/a?b=c')).toBe(
      '/api/v1/auth/login?connection=platform&returnTo=%2Forgs%2Fa%3Fb%3Dc',
    );
  });
});

describe('linking a sign-in method', () => {
  it('starts the link flow for a connection id with the session CSRF token, back to /account', () => {
    const id = '0191f0a2-7c3e-7d41-9a55-2b6f0e0c9d11';
    expect(isConnectionId(id)).toBe(true);
    expect(isConnectionId('platform')).toBe(false);
    expect(isConnectionId('https://evil.example/')).toBe(false);
    const url = new URL(linkHref(id, 'csrf-token'), 'http://console.test');
    expect(url.pathname).toBe('/api/v1/auth/login');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      connection: id,
      link: '1',
      csrf: 'csrf-token',
      returnTo: '/account',
    });
  });
});

describe('snippets', () => {
  const urls = {
    rest: 'http://127.0.0.1:8088/e/acme/prod',
    grpc: '127.0.0.1:18001',
    ofrep: 'http://127.0.0.1:8088/e/acme/prod',
  };
  it('point every SDK at the environment URLs', () => {
    const s = Object.fromEntries(snippets({ envKey: 'prod', urls }).map((x) => [x.id, x.code]));
    expect(s['curl']).toContain('http://127.0.0.1:8088/e/acme/prod/evaluate/v1/boolean');
    expect(s['ofrep']).toContain(
      'curl -s http://127.0.0.1:8088/e/acme/prod/ofrep/v1/evaluate/flags/new-checkout',
    );
    expect(s['ofrep']).toContain("baseUrl: 'http://127.0.0.1:8088/e/acme/prod'");
    expect(s['grpc']).toContain('-plaintext');
    expect(s['grpc']).toContain('-proto evaluation.proto');
    expect(s['grpc']).toContain('x-flipt-environment: prod');
    expect(s['client-sdk']).toContain("environment: 'prod'");
  });

  it('leave out gRPC until the instance reported an address', () => {
    expect(
      snippets({ envKey: 'prod', urls: { ...urls, grpc: null } }).map((x) => x.id),
    ).not.toContain('grpc');
  });
});

describe('toApiError', () => {
  it('keeps the API body and maps field paths without the body. prefix', () => {
    const e = toApiError(400, {
      code: 'InvalidArgument',
      message: 'invalid request',
      details: [{ path: 'body.key', message: 'bad key' }],
    });
    expect(e.fieldErrors()).toEqual({ key: 'bad key' });
  });

  it('turns a non-API answer into Unavailable for 5xx', () => {
    expect(toApiError(502, '<html>').body.code).toBe('Unavailable');
  });
});

describe('loadConfig', () => {
  it('defaults to the local control plane and drops a trailing slash', async () => {
    const { loadConfig } = await import('./config');
    expect(loadConfig({}).controlPlaneUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig({ CONTROL_PLANE_URL: 'https://cp.internal:8443/' }).controlPlaneUrl).toBe(
      'https://cp.internal:8443',
    );
    expect(() => loadConfig({ CONTROL_PLANE_URL: 'not a url' })).toThrow(/CONTROL_PLANE_URL/);
  });
});

describe('describeUserAgent', () => {
  it('names the browser and system of common user agents', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      ),
    ).toBe('Safari on macOS');
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
      ),
    ).toBe('Firefox on Windows');
    expect(describeUserAgent('sso-test')).toBeNull();
    expect(describeUserAgent(null)).toBeNull();
  });
});
