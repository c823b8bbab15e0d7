/**
 * Local directory source. The revision is a content hash (sha1 over the sorted paths and bytes,
 * 40 hex), so an unchanged directory never rebuilds. Symlinks are never followed (a link to
 * /etc/passwd inside the tree is skipped), `.git` directories are skipped, and sizes are checked
 * with lstat before any file is read. Changes arrive through a recursive fs.watch, debounced.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { isSafeRelativePath } from './git-validate.js';
import { DEFAULT_TREE_LIMITS, InvalidTreeError, SourceError, TreeBudget, type SourceFiles, type SourceTree, type SyncSource, type TreeLimits } from './sync-source.js';

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
    const files = await readDirectoryTree(this.options.path, this.options.limits ?? DEFAULT_TREE_LIMITS, signal);
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
export async function readDirectoryTree(root: string, limits: TreeLimits, signal: AbortSignal): Promise<SourceFiles> {
  let base: string;
  try {
    base = await realpath(root);
    if (!(await lstat(base)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new SourceError(`directory ${root} is not readable`);
  }
  const found: { path: string; abs: string }[] = [];
  await walk(base, '', found, new TreeBudget(limits), signal);
  const files: SourceFiles = new Map();
  for (const f of found) {
    const bytes = await readFile(f.abs).catch(() => undefined);
    if (bytes === undefined) continue; // deleted since the listing: the next event reloads
    if (bytes.length > limits.maxFileBytes) throw new InvalidTreeError(`${f.path}: file is over the ${limits.maxFileBytes}-byte limit`, f.path);
    files.set(f.path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }
  return files;
}

async function walk(abs: string, rel: string, out: { path: string; abs: string }[], budget: TreeBudget, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (!isSafeRelativePath(path)) continue; // `.git`, odd names
    const child = join(abs, entry.name);
    if (entry.isDirectory()) await walk(child, path, out, budget, signal);
    else if (entry.isFile()) {
      const stat = await lstat(child).catch(() => undefined);
      if (!stat?.isFile()) continue;
      budget.add(path, stat.size);
      out.push({ path, abs: child });
    }
    // symlinks, sockets, devices: ignored
  }
}
