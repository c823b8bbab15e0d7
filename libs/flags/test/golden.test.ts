/** Table-driven golden vectors, checked against our engine and against Flipt's client engine. */
import { describe, expect, it } from 'vitest';
import {
  compileEnvironment,
  evaluateBoolean,
  evaluateVariant,
  isSwitchyardError,
  toClientSnapshot,
} from '../src/index.js';
import { sha1Digest } from './support/digest.js';
import { fliptWasmClient } from './support/flipt-wasm.js';
import { GOLDEN } from './golden/vectors.js';

describe.each(GOLDEN)('$name', ({ ns, cases }) => {
  const snapshot = compileEnvironment(
    { namespaces: [ns] },
    { revision: 'golden', digest: sha1Digest },
  );
  const flagKey = ns.flags[0]!.key;

  it.each(cases)('entity $entityId', async ({ entityId, context, expect: want }) => {
    const req = {
      namespaceKey: ns.key,
      flagKey: want.kind === 'error' && want.flagKey ? want.flagKey : flagKey,
      entityId,
      context,
    };
    const client = await fliptWasmClient(toClientSnapshot(snapshot.namespaces.get(ns.key)!));
    const wasmReq = { flagKey: req.flagKey, entityId, context: { ...context } };
    if (want.kind === 'variant') {
      const got = evaluateVariant(snapshot, req);
      const theirs = client.evaluateVariant(wasmReq);
      expect(got).toMatchObject({
        match: want.match,
        reason: want.reason,
        variantKey: want.variantKey,
      });
      expect(theirs).toMatchObject({
        match: want.match,
        reason: want.reason,
        variantKey: want.variantKey,
      });
      if (want.variantAttachment !== undefined) {
        expect(got.variantAttachment).toBe(want.variantAttachment);
        expect(theirs.variantAttachment ?? '').toBe(want.variantAttachment);
      }
      if (want.segmentKeys) expect(got.segmentKeys).toEqual(want.segmentKeys);
    } else if (want.kind === 'boolean') {
      const got = evaluateBoolean(snapshot, req);
      expect(got).toMatchObject({ enabled: want.enabled, reason: want.reason });
      expect(client.evaluateBoolean(wasmReq)).toMatchObject({
        enabled: want.enabled,
        reason: want.reason,
      });
      if (want.segmentKeys) expect(got.segmentKeys).toEqual(want.segmentKeys);
    } else {
      const run = () =>
        want.asType === 'variant' ? evaluateVariant(snapshot, req) : evaluateBoolean(snapshot, req);
      expect(run).toThrow();
      try {
        run();
      } catch (e) {
        expect(isSwitchyardError(e, want.code)).toBe(true);
      }
    }
    client.close?.();
  });
});
