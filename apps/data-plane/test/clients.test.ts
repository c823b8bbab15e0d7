/**
 * The real clients against one instance: the Flipt REST SDK, the client-side WASM SDK (through the
 * snapshot endpoint), a grpc-js client from the proto and OpenFeature with the OFREP provider.
 * Server-side and client-side answers must be identical on the same flags.
 */
import { ClientTokenAuthentication, FliptClient as FliptRest } from '@flipt-io/flipt';
import { FliptClient as FliptWasm } from '@flipt-io/flipt-client-js';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './helpers/fixture.js';
import { evaluationClient, type EvaluationClient } from './helpers/grpc-client.js';
import { startInProcess, TOKENS, type TestInstance } from './helpers/in-process.js';

const VARIANT_FLAGS = ['color', 'disabled-variant', 'no-default'];
const BOOLEAN_FLAGS = ['dark-mode', 'kill-switch'];
// The client engine returns segmentKeys in hash order and omits an empty attachment; Switchyard
// uses document order (deterministic) and "". Everything else must be equal.
const sorted = (keys: unknown) => [...(keys as string[])].sort();
const pickVariant = (r: Record<string, unknown>) => ({
  match: r.match,
  reason: r.reason,
  variantKey: r.variantKey,
  variantAttachment: r.variantAttachment ?? '',
  segmentKeys: sorted(r.segmentKeys),
  flagKey: r.flagKey,
});
const pickBoolean = (r: Record<string, unknown>) => ({
  enabled: r.enabled,
  reason: r.reason,
  segmentKeys: sorted(r.segmentKeys),
  flagKey: r.flagKey,
});

let t: TestInstance;
let rest: FliptRest;
let wasm: FliptWasm;
let grpc: EvaluationClient;
beforeAll(async () => {
  t = await startInProcess();
  rest = new FliptRest({
    url: t.url,
    authenticationStrategy: new ClientTokenAuthentication(TOKENS.all),
  });
  wasm = await FliptWasm.init({
    url: t.url,
    namespace: 'default',
    environment: 'production',
    authentication: { clientToken: TOKENS.all },
  });
  grpc = evaluationClient(t.grpc);
});
afterAll(async () => {
  wasm?.close();
  grpc?.close();
  await t.dp.close();
});

describe('server-side and client-side answers are identical', () => {
  it('variant flags: REST SDK = gRPC = client-side WASM engine', async () => {
    for (const flagKey of VARIANT_FLAGS)
      for (const c of CASES) {
        const req = { namespaceKey: 'default', flagKey, entityId: c.entityId, context: c.context };
        const viaRest = pickVariant(
          (await rest.evaluation.variant(req)) as unknown as Record<string, unknown>,
        );
        const viaGrpc = pickVariant(
          await grpc.call('Variant', req, { authorization: `Bearer ${TOKENS.all}` }),
        );
        const viaWasm = pickVariant(
          wasm.evaluateVariant({ flagKey, entityId: c.entityId, context: c.context }),
        );
        expect(viaGrpc, `${flagKey} ${c.entityId} grpc`).toEqual(viaRest);
        expect(viaWasm, `${flagKey} ${c.entityId} wasm`).toEqual(viaRest);
      }
  });

  it('boolean flags: REST SDK = gRPC = client-side WASM engine', async () => {
    for (const flagKey of BOOLEAN_FLAGS)
      for (const c of CASES) {
        const req = { namespaceKey: 'default', flagKey, entityId: c.entityId, context: c.context };
        const viaRest = pickBoolean(
          (await rest.evaluation.boolean(req)) as unknown as Record<string, unknown>,
        );
        const viaGrpc = pickBoolean(
          await grpc.call('Boolean', req, { authorization: `Bearer ${TOKENS.all}` }),
        );
        const viaWasm = pickBoolean(
          wasm.evaluateBoolean({ flagKey, entityId: c.entityId, context: c.context }),
        );
        expect(viaGrpc, `${flagKey} ${c.entityId}`).toEqual(viaRest);
        expect(viaWasm, `${flagKey} ${c.entityId}`).toEqual(viaRest);
      }
  });

  it('batch: REST SDK = gRPC = client-side WASM engine, in request order', async () => {
    const requests = CASES.slice(0, 8).flatMap((c) =>
      [...VARIANT_FLAGS, ...BOOLEAN_FLAGS, 'missing'].map((flagKey) => ({
        namespaceKey: 'default',
        flagKey,
        entityId: c.entityId,
        context: c.context,
      })),
    );
    const viaRest = await rest.evaluation.batch({ requests });
    const viaGrpc = await grpc.call(
      'Batch',
      { requests },
      { authorization: `Bearer ${TOKENS.all}` },
    );
    const norm = (r: Record<string, unknown>) => {
      // The WASM client names the members *EvaluationResponse; the wire names are *Response.
      const variant = (r.variantResponse ?? r.variantEvaluationResponse) as
        Record<string, unknown> | undefined;
      const boolean = (r.booleanResponse ?? r.booleanEvaluationResponse) as
        Record<string, unknown> | undefined;
      const error = (r.errorResponse ?? r.errorEvaluationResponse) as
        Record<string, unknown> | undefined;
      return {
        type: r.type,
        v: variant
          ? pickVariant(variant)
          : boolean
            ? pickBoolean(boolean)
            : { flagKey: error?.flagKey, reason: error?.reason },
      };
    };
    const restItems = (viaRest.responses as unknown as Array<Record<string, unknown>>).map(norm);
    expect((viaGrpc.responses as Array<Record<string, unknown>>).map(norm)).toEqual(restItems);
    expect(restItems.map((i) => (i.v as { flagKey: string }).flagKey)).toEqual(
      requests.map((r) => r.flagKey),
    );
    const wasmItems = wasm.evaluateBatch(
      requests
        .filter((r) => r.flagKey !== 'missing')
        .map(({ flagKey, entityId, context }) => ({ flagKey, entityId, context })),
    );
    const restFound = restItems.filter((i) => i.type !== 'ERROR_EVALUATION_RESPONSE_TYPE');
    expect((wasmItems.responses as unknown as Array<Record<string, unknown>>).map(norm)).toEqual(
      restFound,
    );
  });

  it('the fixture exercises every reason', async () => {
    const reasons = new Set<string>();
    for (const flagKey of VARIANT_FLAGS)
      for (const c of CASES)
        reasons.add(
          (
            await rest.evaluation.variant({
              namespaceKey: 'default',
              flagKey,
              entityId: c.entityId,
              context: c.context,
            })
          ).reason,
        );
    expect([...reasons].sort()).toEqual([
      'DEFAULT_EVALUATION_REASON',
      'FLAG_DISABLED_EVALUATION_REASON',
      'MATCH_EVALUATION_REASON',
      'UNKNOWN_EVALUATION_REASON',
    ]);
  });

  it('OpenFeature with the OFREP provider agrees with the REST SDK', async () => {
    await OpenFeature.setProviderAndWait(
      'ofrep',
      new OFREPProvider({ baseUrl: t.url, headers: { Authorization: `Bearer ${TOKENS.all}` } }),
    );
    const client = OpenFeature.getClient('ofrep');
    for (const c of CASES.slice(0, 20)) {
      const ctx = { targetingKey: c.entityId, ...c.context };
      const color = await client.getStringDetails('color', 'fallback', ctx);
      const viaRest = await rest.evaluation.variant({
        namespaceKey: 'default',
        flagKey: 'color',
        entityId: c.entityId,
        context: c.context,
      });
      expect(color.value).toBe(viaRest.variantKey);
      const dark = await client.getBooleanDetails('dark-mode', false, ctx);
      const darkRest = await rest.evaluation.boolean({
        namespaceKey: 'default',
        flagKey: 'dark-mode',
        entityId: c.entityId,
        context: c.context,
      });
      expect(dark.value).toBe(darkRest.enabled);
    }
    const missing = await client.getBooleanDetails('nope', true, { targetingKey: 'u' });
    expect(missing).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });
    await OpenFeature.close();
  });
});

describe('REST SDK read API', () => {
  it('lists flags with pagination through Flags.listFlags', async () => {
    const page = await rest.flags.listFlags('default', { limit: 2 });
    expect(page.flags.map((f) => f.key)).toEqual(['color', 'dark-mode']);
    expect(page.totalCount).toBe(5);
    const next = await rest.flags.listFlags('default', { limit: 2, pageToken: page.nextPageToken });
    expect(next.flags.map((f) => f.key)).toEqual(['disabled-variant', 'kill-switch']);
    const color = page.flags[0]!;
    expect(color.variants.map((v) => v.key)).toEqual(['red', 'blue', 'green']);
  });
});

describe('gRPC specifics', () => {
  it('batch, metadata namespace/environment, and status codes', async () => {
    const auth = { authorization: `Bearer ${TOKENS.all}` };
    const b = await grpc.call(
      'Batch',
      {
        requestId: 'b',
        requests: [
          { flagKey: 'ns-flag', entityId: 'u' },
          { flagKey: 'nope', entityId: 'u' },
        ],
      },
      { ...auth, 'x-flipt-namespace': 'other', 'x-flipt-environment': 'staging' },
    );
    const responses = b.responses as Array<Record<string, Record<string, unknown>>>;
    expect(responses[0]!.booleanResponse).toMatchObject({ enabled: true });
    expect(responses[1]!.errorResponse).toMatchObject({
      reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
    });
    expect(b.requestId).toBe('b');
    await expect(
      grpc.call('Boolean', { flagKey: 'kill-switch', entityId: 'u' }),
    ).rejects.toMatchObject({ code: 16 });
    await expect(
      grpc.call('Boolean', { flagKey: 'nope', entityId: 'u' }, auth),
    ).rejects.toMatchObject({ code: 5 });
    await expect(
      grpc.call('Variant', { flagKey: 'kill-switch', entityId: 'u' }, auth),
    ).rejects.toMatchObject({ code: 3 });
    await expect(
      grpc.call(
        'Boolean',
        { flagKey: 'kill-switch', entityId: 'u' },
        { ...auth, 'x-flipt-environment': 'nope' },
      ),
    ).rejects.toMatchObject({ code: 5 });
    const ok = await grpc.call('Boolean', { flagKey: 'kill-switch', entityId: 'u' }, auth);
    expect(ok).toMatchObject({ enabled: true, flagKey: 'kill-switch' });
    expect((ok.timestamp as { seconds: string }).seconds).toMatch(/^\d+$/);
    expect(ok.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
