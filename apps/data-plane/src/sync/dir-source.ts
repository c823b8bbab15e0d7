/**
 * Local directory source. The revision is a content hash (sha1 over the sorted paths and bytes,
 * 40 hex), so an unchanged directory never rebuilds. A symlink is followed only when its real
 * path stays inside the root (a link to /etc/passwd is skipped; Kubernetes ConfigMap mounts, which
 * are links into `..data/`, work); each real directory is entered once (no loops), `.git` never,
 * and sizes are checked before any file is read. Changes arrive through a recursive fs.watch, debounced.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isSafeRelativePath } from '@switchyard/git-store';
import {
  DEFAULT_TREE_LIMITS,
  InvalidTreeError,
  SourceError,
  TreeBudget,
  type SourceFiles,
  type SourceTree,
  type SyncSource,
  type TreeLimits,
} from './sync-source.js';

/** Options of {@link createDirSource}. */
export interface DirSourceOptions {
  path: string;
  /** Watch the directory for changes. */
  watch: boolean;
  limits?: TreeLimits;
  /** Quiet period before a burst of file events triggers one reload; default 100 ms. */
  debounceMs?: number;
}

/** Returns a local directory source. */
export function createDirSource(options: DirSourceOptions): SyncSource {
  return new DirSource(options);
}

class DirSource implements SyncSource {
  readonly kind = 'dir' as const;
  readonly fingerprint: string;
  #last: SourceTree | undefined;

  constructor(private readonly options: DirSourceOptions) {
    this.fingerprint = `dir:${options.path}`;
  }

  async fetchHead(signal: AbortSignal): Promise<string> {
    return (await this.#read(signal)).revision;
  }

  /** The tree hashed by the last fetchHead (the usual case), else a fresh read (the directory moved on). */
  async readTree(revision: string, signal: AbortSignal): Promise<SourceTree> {
    return this.#last?.revision === revision ? this.#last : this.#read(signal);
  }

  async #read(signal: AbortSignal): Promise<SourceTree> {
    const files = await readDirectoryTree(
      this.options.path,
      this.options.limits ?? DEFAULT_TREE_LIMITS,
      signal,
    );
    this.#last = { revision: contentRevision(files), files };
    return this.#last;
  }

  watch(onChange: () => void): () => void {
    if (!this.options.watch) return () => undefined;
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    const fire = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(onChange, this.options.debounceMs ?? 100);
    };
    try {
      watcher = watch(this.options.path, { recursive: true, persistent: false }, fire);
      watcher.on('error', () => watcher?.close()); // the safety poll keeps working without events
    } catch {
      watcher = undefined;
    }
    return () => {
      if (timer) clearTimeout(timer);
      watcher?.close();
    };
  }
}

/** sha1 over (path, length, bytes) in sorted path order: equal trees have equal revisions. */
export function contentRevision(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = createHash('sha1');
  for (const path of [...files.keys()].sort()) {
    const bytes = files.get(path) as Uint8Array;
    hash.update(`${path}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** Reads every regular file under `root` (no symlinks, no `.git`), checking caps before reading. */
export async function readDirectoryTree(
  root: string,
  limits: TreeLimits,
  signal: AbortSignal,
): Promise<SourceFiles> {
  let base: string;
  try {
    base = await realpath(root);
    if (!(await lstat(base)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new SourceError(`directory ${root} is not readable`);
  }
  const found: { path: string; abs: string }[] = [];
  await walk(base, '', {
    base,
    out: found,
    budget: new TreeBudget(limits),
    signal,
    seen: new Set([base]),
  });
  const files: SourceFiles = new Map();
  for (const f of found) {
    const bytes = await readFile(f.abs).catch(() => undefined);
    if (bytes === undefined) continue; // deleted since the listing: the next event reloads
    if (bytes.length > limits.maxFileBytes)
      throw new InvalidTreeError(
        `${f.path}: file is over the ${limits.maxFileBytes}-byte limit`,
        f.path,
      );
    files.set(f.path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }
  return files;
}

/** Walk state: where we are, what we found, and the real directories already entered (no link loops). */
interface Walk {
  base: string;
  out: { path: string; abs: string }[];
  budget: TreeBudget;
  signal: AbortSignal;
  seen: Set<string>;
}

async function walk(abs: string, rel: string, w: Walk): Promise<void> {
  w.signal.throwIfAborted();
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    // `.git`, odd names, and Kubernetes ConfigMap internals (`..data`, `..2024_…`), whose files
    // are reachable through the top-level links already.
    if (!isSafeRelativePath(path) || entry.name.startsWith('..')) continue;
    const child = join(abs, entry.name);
    const target = entry.isSymbolicLink() ? await resolveInside(child, w.base) : child;
    const info = target === undefined ? undefined : await stat(target).catch(() => undefined);
    if (target === undefined || !info) continue; // a link out of the root, or gone
    if (info.isDirectory()) {
      const real = await realpath(target);
      if (w.seen.has(real)) continue; // a link loop or a second link to the same directory
      w.seen.add(real);
      await walk(target, path, w);
    } else if (info.isFile()) {
      w.budget.add(path, info.size);
      w.out.push({ path, abs: target });
    }
    // sockets, devices, fifos: ignored
  }
}

/** The real path of a symlink when it stays inside `base` (the real root), else undefined. */
async function resolveInside(link: string, base: string): Promise<string | undefined> {
  const real = await realpath(link).catch(() => undefined);
  return real !== undefined && real.startsWith(base + sep) ? real : undefined;
}
