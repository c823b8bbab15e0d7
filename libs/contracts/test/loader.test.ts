/** The runtime loader applies PROTO_LOADER_OPTIONS, the shape the generated `__Output` types promise. */
import { describe, expect, it } from 'vitest';
import {
  PROTO_ROOT,
  evaluationContract,
  instanceContract,
  type StatusReport,
  type UsageBatch,
} from '../src/index.js';

describe('contract loader', () => {
  it('resolves proto/ inside the package', () => {
    expect(PROTO_ROOT.replaceAll('\\', '/')).toMatch(/libs\/contracts\/proto\/$/);
  });

  it('exposes the services with the methods the generated definitions name', () => {
    const v1 = instanceContract();
    expect(Object.keys(v1.InstanceService.service).sort()).toEqual([
      'GetConfig',
      'ReportStatus',
      'ReportUsage',
      'Watch',
    ]);
    expect(Object.keys(v1.EdgeService.service)).toEqual(['GetRoutes', 'Wake']);
    expect(Object.keys(evaluationContract().EvaluationService.service).sort()).toEqual([
      'Batch',
      'Boolean',
      'Variant',
    ]);
    expect(instanceContract()).toBe(v1);
  });

  it('decodes with camelCase names, string longs, defaults, null messages and oneof names', () => {
    const { InstanceService } = instanceContract();
    const report = InstanceService.service.ReportStatus;
    const sent: StatusReport = {
      environments: [{ key: 'prod', lastSyncAtMs: 1_700_000_000_123 }],
      startedAtMs: '42',
    };
    const got = report.requestDeserialize(report.requestSerialize(sent));
    expect(got).toEqual({
      environments: [
        {
          key: 'prod',
          revision: '',
          ready: false,
          lastError: '',
          lastSyncAtMs: '1700000000123',
          error: null,
          warnings: [],
        },
      ],
      configVersion: '',
      httpPort: 0,
      grpcPort: 0,
      tokenUsage: [],
      startedAtMs: '42',
      lastActiveAtMs: '0',
    });
    const edge = instanceContract().EdgeService.service;
    const route = edge.Wake.responseDeserialize(
      edge.Wake.responseSerialize({ orgSlug: 'acme', upstream: 'http://127.0.0.1:1' }),
    );
    expect(route).toEqual({
      orgSlug: 'acme',
      environments: [],
      upstream: 'http://127.0.0.1:1',
      grpcUpstream: '',
      sleeping: false,
    });
    const getConfig = InstanceService.service.GetConfig;
    const config = getConfig.responseDeserialize(
      getConfig.responseSerialize({ instanceId: 'i', revisions: { prod: 'abc' } }),
    );
    expect(config.revisions).toEqual({ prod: 'abc' });
    const watch = InstanceService.service.Watch;
    const ev = watch.responseDeserialize(
      watch.responseSerialize({ environmentChanged: { environmentKey: 'prod', revision: 'abc' } }),
    );
    expect(ev.event).toBe('environmentChanged');
    expect(ev.environmentChanged).toEqual({ environmentKey: 'prod', revision: 'abc' });
  });

  it('round-trips a usage batch with string longs and defaults', () => {
    const usage = instanceContract().InstanceService.service.ReportUsage;
    const sent: UsageBatch = {
      batchId: 'inst-1:1700000000000:7',
      counts: [
        {
          environmentKey: 'prod',
          namespaceKey: 'default',
          flagKey: 'colour',
          value: 'blue',
          minuteMs: 1_700_000_040_000,
          count: 10_000,
        },
      ],
    };
    expect(usage.requestDeserialize(usage.requestSerialize(sent))).toEqual({
      batchId: 'inst-1:1700000000000:7',
      counts: [
        {
          environmentKey: 'prod',
          namespaceKey: 'default',
          flagKey: 'colour',
          value: 'blue',
          reason: '',
          minuteMs: '1700000040000',
          count: '10000',
          lastAtMs: '0',
        },
      ],
    });
  });
});
