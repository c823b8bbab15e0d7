/**
 * Differential test against Flipt's real client engine: the same snapshot, served to
 * `@flipt-io/flipt-client-js` as JSON, must give the same answers as our engine for every
 * generated (flag, entity, context) case. segmentKeys are compared as sets: the client engine's
 * order is not defined, ours is document order (deterministic).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FliptClient } from '@flipt-io/flipt-client-js';
import {
  compileEnvironment,
  evaluateBatch,
  evaluateBoolean,
  evaluateVariant,
  toClientSnapshot,
} from '../src/index.js';
import { sha1Digest } from './support/digest.js';
import type { EnvironmentSnapshot, EvaluationRequest } from '../src/index.js';
import { generateNamespace, generateRequests, operatorTable } from './support/generate.js';
import { fliptWasmClient } from './support/flipt-wasm.js';

const SEEDS = [1, 2, 3, 4];
const FLAGS = 60;
const REQUESTS_PER_SEED = 6000; // 24,000 cases in all

interface Case {
  seed: number;
  snapshot: EnvironmentSnapshot;
  client: FliptClient;
  requests: EvaluationRequest[];
}

const cases: Case[] = [];

beforeAll(async () => {
  for (const seed of SEEDS) {
    const ns = generateNamespace(seed, FLAGS);
    const snapshot = compileEnvironment(
      { namespaces: [ns] },
      { revision: `seed-${seed}`, digest: sha1Digest },
    );
    const client = await fliptWasmClient(toClientSnapshot(snapshot.namespaces.get('default')!));
    cases.push({
      seed,
      snapshot,
      client,
      requests: generateRequests(seed * 7919, ns, REQUESTS_PER_SEED),
    });
  }
});

afterAll(() => {
  for (const c of cases) c.client.close?.();
});

const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();

describe('engine vs Flipt client engine (WASM)', () => {
  it('agrees on every generated variant and boolean evaluation', () => {
    const diffs: string[] = [];
    let compared = 0;
    for (const { seed, snapshot, client, requests } of cases) {
      for (const req of requests) {
        const flag = snapshot.namespaces.get('default')!.flags.get(req.flagKey)!;
        const wasmReq = {
          flagKey: req.flagKey,
          entityId: req.entityId,
          context: { ...req.context },
        };
        compared++;
        if (flag.type === 'VARIANT_FLAG_TYPE') {
          const ours = evaluateVariant(snapshot, req);
          const theirs = client.evaluateVariant(wasmReq);
          const a = {
            match: ours.match,
            reason: ours.reason,
            variantKey: ours.variantKey,
            attachment: ours.variantAttachment,
            segments: sorted(ours.segmentKeys),
          };
          const b = {
            match: theirs.match,
            reason: theirs.reason,
            variantKey: theirs.variantKey,
            attachment: theirs.variantAttachment ?? '',
            segments: sorted(theirs.segmentKeys),
          };
          if (JSON.stringify(a) !== JSON.stringify(b))
            diffs.push(
              `seed ${seed} ${JSON.stringify(req)}\n  ours   ${JSON.stringify(a)}\n  theirs ${JSON.stringify(b)}`,
            );
        } else {
          const ours = evaluateBoolean(snapshot, req);
          const theirs = client.evaluateBoolean(wasmReq);
          const a = { enabled: ours.enabled, reason: ours.reason };
          const b = { enabled: theirs.enabled, reason: theirs.reason };
          if (JSON.stringify(a) !== JSON.stringify(b))
            diffs.push(
              `seed ${seed} ${JSON.stringify(req)}\n  ours   ${JSON.stringify(a)}\n  theirs ${JSON.stringify(b)}`,
            );
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20_000);
    expect(diffs.slice(0, 10).join('\n'), `${diffs.length} differences`).toBe('');
  });

  it('agrees on every operator × constraint value × context value', async () => {
    const { ns, requests } = operatorTable();
    const snapshot = compileEnvironment(
      { namespaces: [ns] },
      { revision: 'operators', digest: sha1Digest },
    );
    const client = await fliptWasmClient(toClientSnapshot(snapshot.namespaces.get('default')!));
    const diffs: string[] = [];
    for (const req of requests) {
      const ours = evaluateVariant(snapshot, req).match;
      const theirs = client.evaluateVariant({
        flagKey: req.flagKey,
        entityId: req.entityId,
        context: { ...req.context },
      }).match;
      if (ours !== theirs) {
        const c = ns.segments[Number(req.flagKey.slice(1))]!.constraints[0]!;
        diffs.push(
          `${c.type} ${c.operator} ${JSON.stringify(c.value)} on ${JSON.stringify(req.context)} entity ${req.entityId}: ours ${ours}, theirs ${theirs}`,
        );
      }
    }
    client.close?.();
    expect(requests.length).toBeGreaterThan(3000);
    expect(diffs.slice(0, 20).join('\n'), `${diffs.length} differences`).toBe('');
  });

  it('agrees on batch answers, unknown flags included', () => {
    const { snapshot, client, requests } = cases[0]!;
    const batch = [
      ...requests.slice(0, 200),
      { namespaceKey: 'default', flagKey: 'no-such-flag', entityId: 'x', context: {} },
    ];
    const ours = evaluateBatch(snapshot, batch);
    const theirs = client.evaluateBatch(
      batch.map((r) => ({ flagKey: r.flagKey, entityId: r.entityId, context: { ...r.context } })),
    );
    expect(theirs.responses).toHaveLength(ours.length);
    ours.forEach((o, i) => {
      const t = theirs.responses[i]!;
      expect(t.type).toBe(o.type);
      if (o.type === 'VARIANT_EVALUATION_RESPONSE_TYPE')
        expect(t.variantEvaluationResponse?.variantKey).toBe(o.variantResponse.variantKey);
      if (o.type === 'BOOLEAN_EVALUATION_RESPONSE_TYPE')
        expect(t.booleanEvaluationResponse?.enabled).toBe(o.booleanResponse.enabled);
      if (o.type === 'ERROR_EVALUATION_RESPONSE_TYPE')
        expect(t.errorEvaluationResponse?.reason).toBe(o.errorResponse.reason);
    });
  });
});
