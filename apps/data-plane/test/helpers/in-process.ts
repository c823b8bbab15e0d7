/** Starts a data plane in this process (no sync) with the fixture published or not. */
import { parseInstanceConfig, type InstanceConfig } from '../../src/config/instance-config.js';
import { createLogger } from '../../src/logger.js';
import { startDataPlane, type DataPlane } from '../../src/server.js';
import { compileFixture, fixtureFiles } from './fixture.js';

/** Tokens used by the tests. */
export const TOKENS = { all: 'token-all', prodOnly: 'token-prod', otherNs: 'token-other-ns' };

/** A running in-process instance with base URLs. */
export interface TestInstance {
  dp: DataPlane;
  url: string;
  grpc: string;
}

/** Starts an instance with environments `production` (default) and `staging`. */
export async function startInProcess(
  opts: { publish?: boolean; auth?: boolean; extra?: Partial<InstanceConfig> } = {},
): Promise<TestInstance> {
  const config = parseInstanceConfig({
    host: '127.0.0.1',
    httpPort: 0,
    grpcPort: 0,
    logLevel: 'silent',
    shutdownGraceMs: 2000,
    trustEdgeHeader: true,
    auth: {
      required: opts.auth ?? true,
      tokens: [
        { token: TOKENS.all, environments: '*' },
        { token: TOKENS.prodOnly, environments: ['production'] },
        { token: TOKENS.otherNs, environments: '*', namespaces: ['other'] },
      ],
    },
    environments: [
      { key: 'production', default: true, source: { type: 'dir', path: '/nonexistent' } },
      { key: 'staging', source: { type: 'dir', path: '/nonexistent' } },
    ],
    ...opts.extra,
  });
  const dp = await startDataPlane(config, createLogger('silent'));
  if (opts.publish !== false) {
    dp.registry.publish('production', compileFixture('a'.repeat(40)), Date.now(), fixtureFiles());
    dp.registry.publish('staging', compileFixture('b'.repeat(40)), Date.now(), fixtureFiles());
  }
  return { dp, url: `http://127.0.0.1:${dp.httpPort}`, grpc: `127.0.0.1:${dp.grpcPort}` };
}
