/** Local directory source: reload on change, content-hash revisions, no symlink escapes, caps. */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BROKEN_SYNTAX,
  featuresYaml,
  served,
  startOne,
  tempDir,
  waitFor,
  type StartedSync,
} from './sync-fixtures.js';

describe('dir source', () => {
  let flagsDir: string;
  let dataDir: string;
  let outside: string;
  let started: StartedSync | undefined;

  beforeEach(async () => {
    flagsDir = await tempDir('sy-flags-');
    outside = await tempDir('sy-outside-');
    dataDir = await tempDir();
    await mkdir(join(flagsDir, 'default'));
    await writeFile(join(flagsDir, 'default', 'features.yaml'), featuresYaml({ color: 'blue' }));
  });
  afterEach(async () => {
    await started?.sync.stop();
    started = undefined;
    await Promise.all(
      [flagsDir, dataDir, outside].map((d) => rm(d, { recursive: true, force: true })),
    );
  });

  it('serves the directory and reloads on change through the watcher', async () => {
    started = await startOne('dev', { type: 'dir', path: flagsDir, watch: true }, dataDir);
    const { registry } = started;
    const first = registry.snapshot('dev')?.revision;
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect(served(registry, 'dev')?.color).toBe('blue');
    const t0 = Date.now();
    await writeFile(join(flagsDir, 'default', 'features.yaml'), featuresYaml({ color: 'green' }));
    await waitFor(() => served(registry, 'dev')?.color === 'green', 4000);
    const reloadMs = Date.now() - t0;
    expect(reloadMs).toBeLessThan(2000); // the watcher, not the 5 s safety poll
    // A new namespace directory created after start is picked up too (recursive watch).
    await mkdir(join(flagsDir, 'team'));
    await writeFile(join(flagsDir, 'team', 'features.yaml'), featuresYaml({ namespace: 'team' }));
    await waitFor(() => registry.snapshot('dev')?.namespaces.has('team') === true, 4000);
    console.log(`dir: change served ${reloadMs} ms after the write`);
  });

  it('keeps the last good snapshot on a broken save, then serves the fix', async () => {
    started = await startOne('dev', { type: 'dir', path: flagsDir, watch: true }, dataDir);
    const { registry } = started;
    await writeFile(join(flagsDir, 'default', 'features.yaml'), BROKEN_SYNTAX);
    await waitFor(() => registry.state('dev')?.lastError !== undefined, 4000);
    expect(registry.state('dev')?.lastError).toMatchObject({
      file: 'default/features.yaml',
      line: 8,
    });
    expect(served(registry, 'dev')?.color).toBe('blue');
    await writeFile(join(flagsDir, 'default', 'features.yaml'), featuresYaml({ color: 'red' }));
    await waitFor(() => served(registry, 'dev')?.color === 'red', 4000);
    expect(registry.state('dev')?.lastError).toBeUndefined();
  });

  it('follows links that stay inside the root (Kubernetes ConfigMap layout)', async () => {
    // A ConfigMap volume: <root>/..2024_01_01/<ns>/features.yaml, `..data` → that dir, and
    // top-level links through `..data`. Updates swap `..data` atomically.
    const cm = await tempDir('sy-cm-');
    try {
      await mkdir(join(cm, '..v1', 'team'), { recursive: true });
      await writeFile(
        join(cm, '..v1', 'team', 'features.yaml'),
        featuresYaml({ namespace: 'team', color: 'plum' }),
      );
      await writeFile(join(cm, '..v1', 'default.yaml'), featuresYaml({ color: 'plum' }));
      await symlink('..v1', join(cm, '..data'));
      await symlink(join('..data', 'team'), join(cm, 'team'));
      await mkdir(join(cm, 'default'));
      await symlink(join('..', '..data', 'default.yaml'), join(cm, 'default', 'features.yaml'));
      started = await startOne('dev', { type: 'dir', path: cm, watch: false }, dataDir);
      const state = started.registry.state('dev');
      // Links inside the root are followed; the real `..v1` directory is not read a second time.
      expect([...(state?.files?.keys() ?? [])]).toEqual([
        'default/features.yaml',
        'team/features.yaml',
      ]);
      expect([...(state?.snapshot?.namespaces.keys() ?? [])].sort()).toEqual(['default', 'team']);
      expect(served(started.registry, 'dev')?.color).toBe('plum');
    } finally {
      await rm(cm, { recursive: true, force: true });
    }
  });

  it('does not follow symlinks out of the root and skips .git', async () => {
    await mkdir(join(outside, 'evil'));
    await writeFile(join(outside, 'evil', 'features.yaml'), featuresYaml({ namespace: 'evil' }));
    await symlink(join(outside, 'evil'), join(flagsDir, 'evil'));
    await symlink('..', join(flagsDir, 'default', 'loop')); // a loop back to the root
    await symlink(join(outside, 'evil', 'features.yaml'), join(flagsDir, 'linked.features.yaml'));
    await mkdir(join(flagsDir, '.git', 'x'), { recursive: true });
    await writeFile(
      join(flagsDir, '.git', 'x', 'features.yaml'),
      featuresYaml({ namespace: 'dotgit' }),
    );
    started = await startOne('dev', { type: 'dir', path: flagsDir, watch: false }, dataDir);
    const state = started.registry.state('dev');
    expect([...(state?.files?.keys() ?? [])]).toEqual(['default/features.yaml']);
    expect([...(state?.snapshot?.namespaces.keys() ?? [])]).toEqual(['default']);
  });

  it('rejects an oversized file before reading it and keeps serving', async () => {
    started = await startOne('dev', { type: 'dir', path: flagsDir, watch: false }, dataDir, {
      limits: { maxFileBytes: 4096, maxTotalBytes: 1 << 20, maxFiles: 100 },
    });
    await writeFile(join(flagsDir, 'default', 'big.features.yaml'), 'x'.repeat(10_000));
    await started.sync.refresh('dev');
    expect(started.registry.state('dev')?.lastError).toMatchObject({
      file: 'default/big.features.yaml',
    });
    expect(started.registry.state('dev')?.lastError?.message).toMatch(/limit/);
    expect(served(started.registry, 'dev')?.color).toBe('blue');
  });

  it('an unchanged directory keeps its revision (content hash)', async () => {
    started = await startOne('dev', { type: 'dir', path: flagsDir, watch: false }, dataDir);
    const rev = started.registry.snapshot('dev')?.revision;
    await started.sync.refresh('dev');
    expect(started.registry.snapshot('dev')?.revision).toBe(rev);
    expect(started.registry.state('dev')?.lastError).toBeUndefined();
  });
});
