import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotStore } from './snapshot-store.js';

describe('SnapshotStore', () => {
  let dir: string;
  let store: SnapshotStore;
  const files = new Map([
    ['default/features.yaml', new TextEncoder().encode('version: "1.4"\n')],
    ['bin/blob', new Uint8Array([0, 255, 10, 13])],
  ]);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sy-store-'));
    store = new SnapshotStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips revision and bytes, and leaves no temp files', async () => {
    await store.save('prod', { revision: 'abc', fingerprint: 'git:x', savedAt: 1234, files });
    await store.save('prod', { revision: 'def', fingerprint: 'git:x', savedAt: 5678, files });
    const loaded = await store.load('prod', 'git:x');
    expect(loaded?.revision).toBe('def');
    expect(loaded?.savedAt).toBe(5678);
    expect(loaded?.files).toEqual(files);
    expect(await readdir(dirname(store.fileFor('prod')))).toEqual(['snapshot.json']);
  });

  it('keeps environments apart and hashes keys into directory names', async () => {
    await store.save('../../etc', { revision: 'a', fingerprint: 'f', savedAt: 1, files });
    expect(store.fileFor('../../etc').startsWith(join(dir, 'snapshots'))).toBe(true);
    expect(await store.load('prod', 'f')).toBeUndefined();
    expect((await store.load('../../etc', 'f'))?.revision).toBe('a');
  });

  it('ignores a snapshot from another source configuration', async () => {
    await store.save('prod', { revision: 'abc', fingerprint: 'git:old-url', savedAt: 1, files });
    expect(await store.load('prod', 'git:new-url')).toBeUndefined();
  });

  it('ignores a corrupt or tampered file instead of trusting it', async () => {
    await store.save('prod', { revision: 'abc', fingerprint: 'f', savedAt: 1, files });
    const path = store.fileFor('prod');
    const { readFile } = await import('node:fs/promises');
    const stored = JSON.parse(await readFile(path, 'utf8')) as { files: Record<string, string> };
    stored.files['default/features.yaml'] = Buffer.from('tampered').toString('base64');
    await writeFile(path, JSON.stringify(stored));
    expect(await store.load('prod', 'f')).toBeUndefined();
    await writeFile(path, '{"format":1,"envKey":"prod"'); // torn write
    expect(await store.load('prod', 'f')).toBeUndefined();
  });
});
