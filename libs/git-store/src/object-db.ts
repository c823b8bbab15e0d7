/**
 * The object database of a bare repository, read through one long-lived `git cat-file
 * --batch-command` per repository and written in-process (loose objects), so that a flag edit
 * costs one git process (the ref update) instead of a dozen.
 *
 * Why: starting a process is the dominant cost of a write here. On the 2-core machines this runs
 * on, `spawn` blocks Node's event loop 5–6 ms per process (fork + exec, measured with a bare
 * `node`), and an edit used to start twelve (rev-parse, ls-tree and cat-file twice, read-tree,
 * hash-object, update-index, write-tree, ls-tree, commit-tree, update-ref): 240 ms of a 460 ms
 * edit-to-evaluable time.
 *
 * Objects are immutable, so what is read is cached by id (per repository: an object one
 * repository holds is never served from another's cache). Writes produce the bytes git itself
 * would (`blob`/`tree`/`commit` headers, SHA-1, zlib), written to a temporary file and renamed
 * into place, as git does; a write never replaces an existing object. The readers are pooled by
 * repository directory, stopped after a short idle time, and never keep the process alive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { GitExecError, startGit } from './git-exec.js';

/** One object as `cat-file` describes it. */
export interface ObjectInfo {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  size: number;
}

/** One entry of a tree object. */
export interface RawTreeEntry {
  /** As stored: `100644`, `100755`, `120000`, `160000`, `40000`. */
  mode: string;
  name: string;
  oid: string;
}

type Child = ReturnType<typeof startGit>;

interface Pending {
  command: string;
  contents: boolean;
  resolve: (value: { info: ObjectInfo; content?: Buffer } | null) => void;
  reject: (e: Error) => void;
}

const IDLE_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
const CACHE_BYTES = 8 * 1024 * 1024;
const POOL_SIZE = 32;
const OID = /^[0-9a-f]{40}$/;

/** A running `git cat-file --batch-command` and the objects it has read. */
export class ObjectReader {
  static readonly #pool = new Map<string, ObjectReader>();

  /** The pooled reader of `dir` (with `env`, e.g. a push quarantine, as part of the key). */
  static for(dir: string, env: Readonly<Record<string, string>> = {}): ObjectReader {
    const key = `${dir}\0${JSON.stringify(env)}`;
    let reader = ObjectReader.#pool.get(key);
    if (reader) {
      // Most recently used last: the pool evicts from the front.
      ObjectReader.#pool.delete(key);
    } else {
      reader = new ObjectReader(dir, env, () => {
        if (ObjectReader.#pool.get(key) === reader) ObjectReader.#pool.delete(key);
      });
      // Evict the least recently used idle reader; readers with reads in flight are never cut
      // off (the pool grows past its size while every reader is busy).
      if (ObjectReader.#pool.size >= POOL_SIZE) {
        for (const [oldKey, old] of ObjectReader.#pool) {
          if (old.#queue.length > 0) continue;
          ObjectReader.#pool.delete(oldKey);
          old.close();
          break;
        }
      }
    }
    ObjectReader.#pool.set(key, reader);
    return reader;
  }

  /** Stops every pooled reader (tests, shutdown). */
  static closeAll(): void {
    for (const r of ObjectReader.#pool.values()) r.close();
    ObjectReader.#pool.clear();
  }

  #child: Child | undefined;
  #queue: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  /** Chunks not yet joined into #buffer, and how many bytes parsing needs before it can go on. */
  #chunks: Buffer[] = [];
  #chunkBytes = 0;
  #needed = 0;
  #idle: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  readonly #cache = new Map<string, { info: ObjectInfo; content?: Buffer }>();
  #cachedBytes = 0;

  private constructor(
    readonly dir: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly onClose: () => void,
  ) {}

  /** Type and size of `spec` (an object id or `<id>^{tree}`), or null when missing. */
  async info(spec: string): Promise<ObjectInfo | null> {
    const cached = OID.test(spec) ? this.#cache.get(spec) : undefined;
    if (cached) return cached.info;
    const r = await this.#request(`info ${spec}`, false);
    return r?.info ?? null;
  }

  /** Type, size and content of `spec`, or null when missing. */
  async read(spec: string): Promise<{ info: ObjectInfo; content: Buffer } | null> {
    const cached = OID.test(spec) ? this.#cache.get(spec) : undefined;
    if (cached?.content) return { info: cached.info, content: cached.content };
    const r = await this.#request(`contents ${spec}`, true);
    return r?.content ? { info: r.info, content: r.content } : null;
  }

  /** Entries of the tree `spec` names (a tree or commit id), or null when it has none. */
  async tree(spec: string): Promise<RawTreeEntry[] | null> {
    const r = await this.read(spec);
    if (!r) return null;
    if (r.info.type === 'commit') {
      const m = /^tree ([0-9a-f]{40})\n/.exec(r.content.toString('latin1', 0, 46));
      return m ? this.tree(m[1]!) : null;
    }
    return r.info.type === 'tree' ? parseTree(r.content) : null;
  }

  /** Remembers an object written in-process (its bytes are known without asking git). */
  remember(info: ObjectInfo, content: Buffer): void {
    this.#store(info, content);
  }

  /** Stops the process; pending reads fail. The next read starts a new one. */
  close(): void {
    this.#stop(new GitExecError('git cat-file stopped', undefined, Buffer.alloc(0)));
    this.onClose();
  }

  #request(command: string, contents: boolean) {
    if (command.includes('\n')) throw new GitExecError('invalid object name', 128, Buffer.alloc(0));
    return new Promise<{ info: ObjectInfo; content?: Buffer } | null>((resolve, reject) => {
      const child = this.#start();
      this.#queue.push({ command, contents, resolve, reject });
      if (this.#queue.length === 1) this.#busy(child);
      child.stdin.write(`${command}\n`);
    });
  }

  #start() {
    if (this.#child) return this.#child;
    const child = startGit(['cat-file', '--batch-command'], { cwd: this.dir, env: this.env });
    this.#child = child;
    this.#buffer = Buffer.alloc(0);
    this.#chunks = [];
    this.#chunkBytes = 0;
    this.#needed = 0;
    child.stdout.on('data', (chunk: Buffer) => this.#onData(chunk));
    child.stderr.resume();
    child.stdin.on('error', () => undefined);
    child.on('error', (e) =>
      this.#stop(new GitExecError(`git cat-file: ${e.message}`, undefined, Buffer.alloc(0))),
    );
    child.on('close', (code) => {
      if (this.#child === child)
        this.#stop(
          new GitExecError(
            `git cat-file exited (${String(code)})`,
            code ?? undefined,
            Buffer.alloc(0),
          ),
        );
    });
    this.#idleSoon(child);
    return child;
  }

  /** While reads are pending the pipes keep the process alive; when idle they do not. */
  #busy(child: Child) {
    pipe(child.stdout).ref();
    clearTimeout(this.#idle);
    clearTimeout(this.#deadline);
    this.#deadline = setTimeout(
      () =>
        this.#stop(new GitExecError('git cat-file timed out', undefined, Buffer.alloc(0), true)),
      REQUEST_TIMEOUT_MS,
    );
  }

  #idleSoon(child: Child) {
    clearTimeout(this.#deadline);
    pipe(child.stdout).unref();
    pipe(child.stdin).unref();
    pipe(child.stderr).unref();
    child.unref();
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.close(), IDLE_MS);
    this.#idle.unref();
  }

  #onData(chunk: Buffer) {
    // A large object arrives in many chunks: join them once it is complete, not at every chunk.
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.length;
    if (this.#buffer.length + this.#chunkBytes < this.#needed) return;
    this.#buffer = Buffer.concat([this.#buffer, ...this.#chunks]);
    this.#chunks = [];
    this.#chunkBytes = 0;
    this.#needed = 0;
    while (this.#queue.length > 0) {
      const nl = this.#buffer.indexOf(0x0a);
      if (nl < 0) return;
      const header = this.#buffer.toString('latin1', 0, nl);
      const head = this.#queue[0]!;
      const parts = header.split(' ');
      if (parts.length !== 3 || !OID.test(parts[0]!)) {
        // `<name> missing` or `<name> ambiguous`.
        this.#buffer = this.#buffer.subarray(nl + 1);
        this.#queue.shift();
        head.resolve(null);
        continue;
      }
      const info: ObjectInfo = {
        oid: parts[0]!,
        type: parts[1] as ObjectInfo['type'],
        size: Number(parts[2]),
      };
      if (!head.contents) {
        this.#buffer = this.#buffer.subarray(nl + 1);
        this.#queue.shift();
        const cached = this.#cache.get(info.oid);
        if (!cached) this.#store(info);
        head.resolve({ info });
        continue;
      }
      const end = nl + 1 + info.size;
      if (this.#buffer.length < end + 1) {
        this.#needed = end + 1;
        return;
      }
      // Copied out: the buffer may be large and is reused for what follows.
      const content = Buffer.from(this.#buffer.subarray(nl + 1, end));
      this.#buffer = this.#buffer.subarray(end + 1);
      this.#queue.shift();
      this.#store(info, content);
      head.resolve({ info, content });
    }
    if (this.#queue.length === 0 && this.#child) this.#idleSoon(this.#child);
    else if (this.#child) this.#busy(this.#child);
  }

  #store(info: ObjectInfo, content?: Buffer) {
    const size = content?.length ?? 0;
    if (size > CACHE_BYTES / 4) return;
    const old = this.#cache.get(info.oid);
    if (old) {
      if (old.content || !content) return;
      this.#cache.delete(info.oid);
    }
    this.#cache.set(info.oid, content ? { info, content } : { info });
    this.#cachedBytes += size + 64 - (old?.content?.length ?? 0);
    for (const [oid, e] of this.#cache) {
      if (this.#cachedBytes <= CACHE_BYTES) break;
      this.#cache.delete(oid);
      this.#cachedBytes -= (e.content?.length ?? 0) + 64;
    }
  }

  #stop(error: Error) {
    const child = this.#child;
    this.#child = undefined;
    clearTimeout(this.#idle);
    clearTimeout(this.#deadline);
    if (child && child.exitCode === null) child.kill('SIGKILL');
    const queue = this.#queue;
    this.#queue = [];
    for (const p of queue) p.reject(error);
  }
}

/** A child's piped stdio is a socket (typed as a plain stream). */
const pipe = (stream: NodeJS.ReadableStream | NodeJS.WritableStream) => stream as unknown as Socket;

/** Parses a tree object's bytes: `<mode> <name>\0<20-byte id>` repeated. */
export function parseTree(content: Buffer): RawTreeEntry[] {
  const out: RawTreeEntry[] = [];
  let i = 0;
  while (i < content.length) {
    const space = content.indexOf(0x20, i);
    const nul = content.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > content.length) throw new Error('corrupt tree object');
    out.push({
      mode: content.toString('latin1', i, space),
      name: content.toString('utf8', space + 1, nul),
      oid: content.toString('hex', nul + 1, nul + 21),
    });
    i = nul + 21;
  }
  return out;
}

/** A tree object's bytes, entries in git's order (a tree sorts as if its name ended in `/`). */
export function formatTree(entries: readonly RawTreeEntry[]): Buffer {
  const key = (e: RawTreeEntry) => Buffer.from(e.mode === '40000' ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
  return Buffer.concat(
    sorted.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.oid, 'hex')]),
  );
}

/** Writes a loose object (if absent) and returns its id, as `git hash-object -w` would. */
export async function writeObject(
  dir: string,
  type: ObjectInfo['type'],
  content: Buffer,
  reader?: ObjectReader,
): Promise<string> {
  const header = Buffer.from(`${type} ${content.length}\0`);
  const oid = createHash('sha1').update(header).update(content).digest('hex');
  const folder = join(dir, 'objects', oid.slice(0, 2));
  const file = join(folder, oid.slice(2));
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `tmp_obj_${randomBytes(6).toString('hex')}`);
    await writeFile(temp, deflateSync(Buffer.concat([header, content])), { mode: 0o444 });
    try {
      await rename(temp, file);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
  }
  reader?.remember({ oid, type, size: content.length }, content);
  return oid;
}
