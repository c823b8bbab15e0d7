import { describe, expect, it } from 'vitest';
import { environmentUrls } from './environment-urls.js';

describe('environmentUrls', () => {
  it('path form: REST and OFREP at the edge path, gRPC at the instance', () => {
    expect(
      environmentUrls(
        { edgePublicUrl: 'http://127.0.0.1:8088', evalDomain: undefined },
        'acme',
        'development',
        '127.0.0.1:18001',
      ),
    ).toEqual({
      rest: 'http://127.0.0.1:8088/e/acme/development',
      grpc: '127.0.0.1:18001',
      ofrep: 'http://127.0.0.1:8088/e/acme/development',
    });
  });

  it('host form: every URL names the environment host, gRPC as host:port for gRPC clients', () => {
    expect(
      environmentUrls(
        { edgePublicUrl: 'https://eval.example.com', evalDomain: 'flags.example.com' },
        'acme',
        'prod',
        '10.0.0.1:9000',
      ),
    ).toEqual({
      rest: 'https://prod.acme.flags.example.com',
      grpc: 'prod.acme.flags.example.com:443',
      ofrep: 'https://prod.acme.flags.example.com',
    });
    // A local edge: the scheme of EDGE_PUBLIC_URL and the port EVAL_DOMAIN names.
    expect(
      environmentUrls(
        { edgePublicUrl: 'http://127.0.0.1:8088', evalDomain: 'flags.test:8088' },
        'acme',
        'dev',
        null,
      ),
    ).toEqual({
      rest: 'http://dev.acme.flags.test:8088',
      grpc: 'dev.acme.flags.test:8088',
      ofrep: 'http://dev.acme.flags.test:8088',
    });
  });
});
