import { instanceContract } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import {
  decodeInstanceConfiguration,
  decodeWatchEvent,
  encodeStatusReport,
  encodeUsageBatch,
} from './proto-wire.js';

// The contract's own (protobufjs, proto-loader options) serializers are the reference.
const svc = () => instanceContract().InstanceService.service;

describe('proto-wire against the contract loader', () => {
  it('decodes an InstanceConfiguration exactly as the loader does', () => {
    const full = {
      instanceId: 'i-1',
      orgId: 'o-1',
      orgSlug: 'acme',
      environments: [
        {
          id: 'e1',
          key: 'production',
          name: 'Production ✓',
          git: {
            url: 'http://127.0.0.1:3000/acme.git',
            branch: 'main',
            directory: 'flags',
            credentials: { username: 'u', password: 'p' },
            pollIntervalMs: 30_000,
          },
        },
        { id: 'e2', key: 'staging', name: '', git: { url: 'x', pollIntervalMs: -1 } },
        { id: 'e3', key: 'bare' },
      ],
      tokens: [
        {
          id: 't1',
          name: 'n',
          sha256: 'ab'.repeat(32),
          environments: ['production', 'staging'],
          namespaces: ['default'],
          expiresAtMs: '1893456000000',
        },
        { id: 't2', environments: ['production'], expiresAtMs: '-5' },
        { id: 't3', expiresAtMs: '9223372036854775807' },
      ],
      version: 'v9',
      allowedOrigins: ['http://127.0.0.1:3000', 'http://10.0.0.1'],
      revisions: { production: 'abc', staging: '', '': 'x' },
    };
    for (const value of [full, {}]) {
      const wire = svc().GetConfig.responseSerialize(value);
      expect(decodeInstanceConfiguration(wire)).toEqual(svc().GetConfig.responseDeserialize(wire));
    }
  });

  it('decodes every WatchEvent member, and an unknown field is skipped', () => {
    for (const value of [
      { environmentChanged: { environmentKey: 'production', revision: 'r1' } },
      { environmentChanged: {} },
      { tokensChanged: {} },
      { configChanged: {} },
      {},
    ]) {
      const wire = svc().Watch.responseSerialize(value);
      expect(decodeWatchEvent(wire)).toEqual(svc().Watch.responseDeserialize(wire));
      // A field a later contract adds (number 15, varint and bytes) does not break this one.
      const extended = Buffer.concat([wire, Buffer.from([0x78, 0x01, 0x7a, 0x01, 0x41])]);
      expect(decodeWatchEvent(extended)).toEqual(svc().Watch.responseDeserialize(wire));
    }
  });

  it('encodes a StatusReport the loader reads back unchanged', () => {
    const report = {
      environments: [
        {
          key: 'production',
          revision: 'r1',
          ready: true,
          lastError: 'boom',
          lastSyncAtMs: 1_765_000_000_123,
          error: { message: 'bad', revision: 'r0', file: 'a.yaml', line: 3, column: -1, atMs: '7' },
          warnings: [{ message: 'w1' }, { message: 'w2', line: 2 }],
        },
        { key: 'staging', ready: false },
      ],
      configVersion: 'v9',
      httpPort: 8080,
      grpcPort: 9000,
      tokenUsage: [{ tokenId: 't1', lastUsedAtMs: 1_765_000_000_000 }],
      startedAtMs: 1_765_000_000_000,
      lastActiveAtMs: '1765000000999',
    };
    const mine = svc().ReportStatus.requestDeserialize(Buffer.from(encodeStatusReport(report)));
    const theirs = svc().ReportStatus.requestDeserialize(
      svc().ReportStatus.requestSerialize(report),
    );
    expect(mine).toEqual(theirs);
    expect(svc().ReportStatus.requestDeserialize(Buffer.from(encodeStatusReport({})))).toEqual(
      svc().ReportStatus.requestDeserialize(svc().ReportStatus.requestSerialize({})),
    );
  });

  it('encodes a UsageBatch the loader reads back unchanged', () => {
    const batch = {
      batchId: 'b1',
      counts: [
        {
          environmentKey: 'production',
          namespaceKey: 'default',
          flagKey: 'f',
          value: 'on',
          reason: 'MATCH_EVALUATION_REASON',
          minuteMs: 1_765_000_020_000,
          count: 12_345_678_901,
          lastAtMs: '1765000020001',
        },
        { environmentKey: 'e', count: 0 },
      ],
    };
    const mine = svc().ReportUsage.requestDeserialize(Buffer.from(encodeUsageBatch(batch)));
    expect(mine).toEqual(
      svc().ReportUsage.requestDeserialize(svc().ReportUsage.requestSerialize(batch)),
    );
  });
});
