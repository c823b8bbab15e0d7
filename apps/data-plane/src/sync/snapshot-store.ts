/**
 * Persistence of the last good source files per environment, so a restart while the source is
 * unreachable still serves (P4/F3). One JSON file per environment under
 * `dataDir/snapshots/<hash of env key>/snapshot.json`, written to a temp file, fsynced, then
 * renamed: a crash leaves either the old or the new file, never a torn one. A checksum over the
 * files guards against corruption; a bad or foreign (other source) file is ignored, not trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { contentRevision } from './dir-source.js';

/** A snapshot's inputs as stored on disk. */
export interface PersistedSnapshot {
  revision: string;
  /** The source fingerprint it came from (see SyncSource.fingerprint). */
  fingerprint: string;
  /** When it was saved (ms since epoch). */
  savedAt: number;
  files: Map<string, Uint8Array>;
}

interface StoredFile {
  format: 1;
  envKey: string;
  revision: string;
  fingerprint: string;
  savedAt: number;
  checksum: string;
  files: Record<string, string>;
}

/** Reads and writes persisted snapshots under `dataDir/snapshots`. */
export class SnapshotStore {
  constructor(private readonly dataDir: string) {}

  /** Path of the snapshot file of `envKey`. */
  fileFor(envKey: string): string {
    const id = createHash('sha256').update(envKey).digest('hex').slice(0, 24);
    return join(this.dataDir, 'snapshots', id, 'snapshot.json');
  }

  /** Atomically replaces the persisted snapshot of `envKey`. */
  async save(envKey: string, snapshot: PersistedSnapshot): Promise<void> {
    const target = this.fileFor(envKey);
    const dir = join(target, '..');
    await mkdir(dir, { recursive: true });
    const stored: StoredFile = {
      format: 1,
      envKey,
      revision: snapshot.revision,
      fingerprint: snapshot.fingerprint,
      savedAt: snapshot.savedAt,
      checksum: contentRevision(snapshot.files),
      files: Object.fromEntries(
        [...snapshot.files].map(([p, b]) => [p, Buffer.from(b).toString('base64')]),
      ),
    };
    const tmp = join(dir, `.snapshot.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(stored));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** The persisted snapshot of `envKey` from `fingerprint`, or undefined (absent, corrupt or foreign). */
  async load(envKey: string, fingerprint: string): Promise<PersistedSnapshot | undefined> {
    let stored: StoredFile;
    try {
      stored = JSON.parse(await readFile(this.fileFor(envKey), 'utf8')) as StoredFile;
    } catch {
      return undefined;
    }
    if (
      stored.format !== 1 ||
      stored.envKey !== envKey ||
      stored.fingerprint !== fingerprint ||
      typeof stored.files !== 'object'
    )
      return undefined;
    const files = new Map<string, Uint8Array>();
    for (const [p, b64] of Object.entries(stored.files))
      files.set(p, new Uint8Array(Buffer.from(b64, 'base64')));
    if (contentRevision(files) !== stored.checksum) return undefined;
    return {
      revision: stored.revision,
      fingerprint: stored.fingerprint,
      savedAt: stored.savedAt,
      files,
    };
  }
}
