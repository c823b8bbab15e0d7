/**
 * Every Flipt client evaluates through the environment URLs exactly as the control plane's API
 * returns them in `urls` (unedited), through the real edge in front of a provisioned instance:
 * Flipt's REST SDK and client-side SDK at `urls.rest`, OpenFeature's OFREP provider at
 * `urls.ofrep` (its `eventStreams` URI included), and a grpc-js client of
 * `flipt.evaluation.EvaluationService` at `urls.grpc` (HTTP/2 cleartext at the edge, routed by
 * host name, pinned to the environment). Host names resolve through a real DNS server on loopback,
 * the way a machine's resolver would answer them.
 */
import dns, { type LookupAddress } from 'node:dns';
import * as grpc from '@grpc/grpc-js';
import { ClientTokenAuthentication, FliptClient as FliptRest } from '@flipt-io/flipt';
import { FliptClient as FliptWasm } from '@flipt-io/flipt-client-js';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { evaluationContract } from '@switchyard/contracts';
import { startDnsServer, type DnsServer, type GitRepo } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsYaml, startCloud, until, type Cloud } from './cloud.js';

const DOMAIN = 'flags.test';
/** A namespace Flipt loads although a constraint value is unreadable: it never matches. */
const LENIENT_YAML = [
  'version: "1.4"',
  'namespace: promo',
  'flags:',
  '  - key: promo',
  '    name: Promo',
  '    type: BOOLEAN_FLAG_TYPE',
  '    enabled: false',
  '    rollouts:',
  '      - segment: {key: adults, value: true}',
  'segments:',
  '  - key: adults',
  '    name: Adults',
  '    match_type: ALL_MATCH_TYPE',
  '    constraints:',
  '      - {type: NUMBER_COMPARISON_TYPE, property: age, operator: gte, value: boz}',
  '',
].join('\n');
let cloud: Cloud;
let server: DnsServer;
let repo: GitRepo | undefined;
const original = { lookup: dns.lookup, promisesLookup: dns.promises.lookup };

/**
 * Names under the test domain are looked up on the loopback DNS server (as if it were the
 * machine's resolver); everything else resolves as usual.
 */
function resolveTestDomainWith(dnsServer: DnsServer): void {
  const resolver = new dns.promises.Resolver();
  resolver.setServers([dnsServer.address]);
  const mine = (host: string) => host.endsWith(`.${DOMAIN}`);
  const resolve = async (host: string): Promise<LookupAddress[]> =>
    (await resolver.resolve4(host)).map((address) => ({ address, family: 4 }));
  const patched = (
    host: string,
    options: dns.LookupOptions | ((...a: unknown[]) => void),
    callback?: (...a: unknown[]) => void,
  ) => {
    const cb = (typeof options === 'function' ? options : callback)!;
    const opts = typeof options === 'object' ? options : {};
    if (!mine(host)) return (original.lookup as (...a: unknown[]) => void)(host, options, callback);
    resolve(host).then(
      (all) => (opts.all ? cb(null, all) : cb(null, all[0]!.address, 4)),
      (e: unknown) => cb(e),
    );
  };
  dns.lookup = patched as typeof dns.lookup;
  dns.promises.lookup = ((host: string, opts?: dns.LookupOptions) =>
    mine(host)
      ? resolve(host).then((all) => (opts?.all ? all : all[0]))
      : original.promisesLookup(host, opts ?? {})) as typeof dns.promises.lookup;
}

beforeAll(async () => {
  server = await startDnsServer();
  resolveTestDomainWith(server);
  cloud = await startCloud({ evalDomain: DOMAIN });
}, 120_000);
afterAll(async () => {
  dns.lookup = original.lookup;
  dns.promises.lookup = original.promisesLookup;
  await repo?.cleanup();
  await cloud?.close();
  await server?.close();
});

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  cb: (e: grpc.ServiceError | null, r: Record<string, unknown>) => void,
) => void;

function grpcCall(address: string, method: 'Boolean' | 'Variant', md: Record<string, string>) {
  const client = new (evaluationContract().EvaluationService)(
    address,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & Record<string, Unary>;
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(md)) metadata.set(k, v);
  const req = { namespaceKey: 'default', flagKey: method === 'Boolean' ? 'banner' : 'colour' };
  return new Promise<Record<string, unknown>>((resolve, reject) =>
    client[method]!.call(client, { ...req, entityId: 'user-1' }, metadata, (e, r) => {
      client.close();
      return e ? reject(e) : resolve(r);
    }),
  ).finally(() => client.close());
}

describe('environment URLs as the API returns them', () => {
  it('REST, client-side, OFREP and gRPC clients all evaluate through them', async () => {
    const org = await cloud.createOrg('acme-urls');
    await cloud.waitInstance(org.id);
    repo = await cloud.repo('acme-urls-flags');
    await repo.commitFiles(
      { 'default/features.yaml': flagsYaml(false), 'promo/features.yaml': LENIENT_YAML },
      'initial flags',
    );
    const gitRepo = await cloud.t.db.gitRepository.create({
      data: { orgId: org.id, name: 'flags', url: `${cloud.git.url}/acme-urls-flags.git` },
    });
    const created = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/environments`,
      body: { key: 'production', name: 'Production', repositoryId: gitRepo.id },
    });
    expect(created.status).toBe(201);
    const tok = await cloud.t.call(org.owner, {
      method: 'POST',
      url: `/api/v1/orgs/${org.slug}/client-tokens`,
      body: { name: 'sdk', environments: ['production'] },
    });
    const token = tok.json.token as string;
    const host = `production.${org.slug}.${DOMAIN}`;
    server.set(host, { A: ['127.0.0.1'] });

    const env = await cloud.t.call(org.owner, {
      method: 'GET',
      url: `/api/v1/orgs/${org.slug}/environments/production`,
    });
    const urls = env.json.urls as { rest: string; grpc: string; ofrep: string };
    const edgePort = new URL(cloud.edgeUrl).port;
    expect(urls).toEqual({
      rest: `http://${host}:${edgePort}`,
      grpc: `${host}:${edgePort}`,
      ofrep: `http://${host}:${edgePort}`,
    });

    // Flipt's REST SDK.
    const rest = new FliptRest({
      url: urls.rest,
      authenticationStrategy: new ClientTokenAuthentication(token),
    });
    const banner = async () =>
      (
        await rest.evaluation.boolean({
          namespaceKey: 'default',
          flagKey: 'banner',
          entityId: 'user-1',
          context: {},
        })
      ).enabled;
    await until('REST SDK through urls.rest', async () => (await banner()) === false, 20_000);

    // A constraint value Flipt loads but cannot read: served, never matching, and reported as a
    // warning at file:line in the environment's status.
    expect(
      await rest.evaluation.boolean({
        namespaceKey: 'promo',
        flagKey: 'promo',
        entityId: 'user-1',
        context: { age: '30' },
      }),
    ).toMatchObject({ enabled: false, reason: 'DEFAULT_EVALUATION_REASON' });
    const warned = await until('warning reported in the environment status', async () => {
      const e = await cloud.t.call(org.owner, {
        method: 'GET',
        url: `/api/v1/orgs/${org.slug}/environments/production`,
      });
      const status = e.json.status as { sync: string; warnings: unknown[] };
      return status.warnings.length > 0 ? status : undefined;
    });
    expect(warned.sync).toBe('in_sync');
    expect(warned.warnings).toEqual([
      {
        message: expect.stringMatching(
          /^segments\[0\]\.constraints\[0\]\.value: "boz" is not a number, so this constraint never matches/,
        ) as unknown,
        file: 'promo/features.yaml',
        line: 15,
        column: expect.any(Number) as unknown,
      },
    ]);

    // Flipt's client-side SDK.
    const wasm = await FliptWasm.init({
      url: urls.rest,
      namespace: 'default',
      environment: 'production',
      authentication: { clientToken: token },
    });
    expect(
      wasm.evaluateVariant({ flagKey: 'colour', entityId: 'user-1', context: {} }).variantKey,
    ).toBe('blue');
    wasm.close();

    // OpenFeature with the OFREP provider, given urls.ofrep as its base URL.
    await OpenFeature.setProviderAndWait(
      'urls',
      new OFREPProvider({ baseUrl: urls.ofrep, headers: { Authorization: `Bearer ${token}` } }),
    );
    const of = OpenFeature.getClient('urls');
    expect(await of.getBooleanValue('banner', true, { targetingKey: 'user-1' })).toBe(false);
    expect(await of.getStringValue('colour', 'fallback', { targetingKey: 'user-1' })).toBe('blue');

    // The bulk answer's eventStreams URI works through the environment URL, in both forms.
    for (const base of [urls.ofrep, `${cloud.edgeUrl}/e/${org.slug}/production`]) {
      const bulk = await fetch(`${base}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ context: { targetingKey: 'user-1' } }),
      });
      const body = (await bulk.json()) as {
        eventStreams: Array<{ endpoint: { requestUri: string } }>;
      };
      const uri = body.eventStreams[0]!.endpoint.requestUri;
      const events = await fetch(new URL(uri, base), {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      });
      expect({ uri, status: events.status }).toEqual({ uri, status: 200 });
      expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await events.body?.cancel();
    }

    // grpc-js at urls.grpc, no environment metadata: the host name names the environment.
    const auth = { authorization: `Bearer ${token}` };
    const viaGrpc = await until(
      'gRPC through urls.grpc',
      async () => grpcCall(urls.grpc, 'Boolean', auth).catch(() => undefined),
      20_000,
    );
    expect(viaGrpc).toMatchObject({ flagKey: 'banner', enabled: false });
    expect(await grpcCall(urls.grpc, 'Variant', auth)).toMatchObject({ variantKey: 'blue' });
    // The environment URL pins its environment for gRPC too.
    const refused = await grpcCall(urls.grpc, 'Boolean', {
      ...auth,
      'x-flipt-environment': 'staging',
    }).catch((e: grpc.ServiceError) => e);
    expect(refused).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });
});
