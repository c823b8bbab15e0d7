/**
 * Upstream source: mirror one environment of another Switchyard instance. The watch stream
 * (NDJSON `{"revision"}` lines, one now and one per change) says when to pull; the source endpoint
 * (`{"revision","files":{path: base64}}`) gives the files, which are built locally exactly like a
 * git tree. When the stream is down, `fetchHead` falls back to pulling the source endpoint, so the
 * syncer's poll keeps the mirror fresh; the stream reconnects with capped, jittered backoff.
 */
import type { SourceConfig } from '../config/instance-config.js';
import { deadlineSignal } from './deadline-signal.js';
import { isSafeRelativePath } from '@switchyard/git-store';
import { Backoff, sleep } from '@switchyard/retry';
import {
  DEFAULT_TREE_LIMITS,
  SourceError,
  TreeBudget,
  type SourceTree,
  type SyncSource,
  type TreeLimits,
} from './sync-source.js';

/** Options of {@link createUpstreamSource}. */
export interface UpstreamSourceOptions {
  source: Extract<SourceConfig, { type: 'upstream' }>;
  limits?: TreeLimits;
  /** Deadline of one source request; default 15 s. */
  timeoutMs?: number;
  /** Stream reconnect backoff bounds; default 1 s → 30 s. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

const REVISION = /^[A-Za-z0-9._-]{1,128}$/u;

/** Returns an upstream (mirror) source. */
export function createUpstreamSource(options: UpstreamSourceOptions): SyncSource {
  return new UpstreamSource(options);
}

class UpstreamSource implements SyncSource {
  readonly kind = 'upstream' as const;
  readonly fingerprint: string;
  readonly #base: string;
  readonly #headers: Record<string, string>;
  /** Latest revision announced by a live stream; undefined while the stream is down. */
  #streamRevision: string | undefined;
  #last: SourceTree | undefined;
  #closed = new AbortController();

  constructor(private readonly options: UpstreamSourceOptions) {
    const env = encodeURIComponent(options.source.environment);
    this.#base = `${options.source.url.replace(/\/+$/u, '')}/api/switchyard/v1/environments/${env}`;
    this.fingerprint = `upstream:${this.#base}`;
    this.#headers = options.source.token ? { authorization: `Bearer ${options.source.token}` } : {};
  }

  async fetchHead(signal: AbortSignal): Promise<string> {
    if (this.#streamRevision !== undefined) return this.#streamRevision;
    return (await this.#pull(signal)).revision;
  }

  async readTree(revision: string, signal: AbortSignal): Promise<SourceTree> {
    if (this.#last?.revision === revision) return this.#last;
    return this.#pull(signal);
  }

  watch(onChange: () => void): () => void {
    void this.#streamLoop(onChange);
    return () => this.#closed.abort();
  }

  async close(): Promise<void> {
    this.#closed.abort();
    return Promise.resolve();
  }

  async #pull(signal: AbortSignal): Promise<SourceTree> {
    const deadline = deadlineSignal(this.options.timeoutMs ?? 15_000, signal);
    let body: unknown;
    try {
      const res = await this.#request('source', deadline.signal);
      body = await res.json().catch(() => {
        throw new SourceError(
          `upstream source: ${deadline.signal.aborted ? 'timed out or aborted' : 'invalid JSON'}`,
        );
      });
    } finally {
      deadline.dispose();
    }
    this.#last = decodeSource(body, this.options.limits ?? DEFAULT_TREE_LIMITS);
    return this.#last;
  }

  async #request(endpoint: 'source' | 'watch', signal: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.#base}/${endpoint}`, {
        headers: this.#headers,
        signal,
        redirect: 'error',
      });
    } catch (e) {
      throw new SourceError(
        `upstream ${endpoint}: ${signal.aborted ? 'timed out or aborted' : (e as Error).message}`,
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new SourceError(
        `upstream ${endpoint}: HTTP ${res.status}`,
        res.status === 401 || res.status === 403,
      );
    }
    return res;
  }

  /** Keeps one watch stream open; every announced revision triggers `onChange`. */
  async #streamLoop(onChange: () => void): Promise<void> {
    const backoff = new Backoff({
      initialMs: this.options.reconnectMinMs ?? 1000,
      maxMs: this.options.reconnectMaxMs ?? 30_000,
      jitter: 0.5,
    });
    while (!this.#closed.signal.aborted) {
      try {
        const res = await this.#request('watch', this.#closed.signal);
        backoff.reset(); // connected: the next drop starts from the short delay again
        await readLines(res, (line) => this.#onLine(line, onChange));
      } catch (e) {
        // Bad credentials: wait the longest delay; they will not fix themselves (fail closed).
        if (e instanceof SourceError && e.unauthorized) backoff.saturate();
      }
      this.#streamRevision = undefined; // the poll fallback takes over until we reconnect
      if (this.#closed.signal.aborted) return;
      await sleep(backoff.next(), this.#closed.signal).catch(() => undefined); // closed: loop ends
    }
  }

  #onLine(line: string, onChange: () => void): void {
    let revision: unknown;
    try {
      revision = (JSON.parse(line) as { revision?: unknown }).revision;
    } catch {
      return;
    }
    if (typeof revision !== 'string' || !REVISION.test(revision)) return;
    const changed = revision !== this.#streamRevision;
    this.#streamRevision = revision;
    if (changed) onChange();
  }
}

/** Validates and decodes `{revision, files}`; caps are checked on encoded sizes before decoding. */
export function decodeSource(body: unknown, limits: TreeLimits): SourceTree {
  const b = body as { revision?: unknown; files?: unknown } | null;
  if (
    typeof b?.revision !== 'string' ||
    !REVISION.test(b.revision) ||
    typeof b.files !== 'object' ||
    b.files === null
  ) {
    throw new SourceError('upstream source: unexpected response shape');
  }
  const budget = new TreeBudget(limits);
  const files = new Map<string, Uint8Array>();
  for (const [path, value] of Object.entries(b.files as Record<string, unknown>)) {
    if (typeof value !== 'string' || !isSafeRelativePath(path)) continue;
    budget.add(path, Math.floor((value.length * 3) / 4));
    files.set(path, new Uint8Array(Buffer.from(value, 'base64')));
  }
  return { revision: b.revision, files };
}

async function readLines(res: Response, onLine: (line: string) => void): Promise<void> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    if (buffer.length > 1024 * 1024) throw new SourceError('upstream watch: line too long');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line !== '') onLine(line);
    }
  }
}
