/**
 * Live snapshot subscribers (NDJSON and SSE streams). On every published environment, each
 * subscriber of that environment gets its namespace again if the digest changed. Serialised
 * snapshots are cached per immutable NamespaceSnapshot, so N subscribers cost one stringify.
 */
import { gzipSync } from 'node:zlib';
import { toClientSnapshot } from '@switchyard/flags/runtime';
import type { NamespaceSnapshot } from '@switchyard/flags';
import type { EnvironmentRegistry } from '../state/environment-registry.js';

const serialised = new WeakMap<NamespaceSnapshot, string>();
const gzipped = new WeakMap<NamespaceSnapshot, Buffer>();
const ndjsonLines = new WeakMap<NamespaceSnapshot, Buffer>();
const sseEvents = new WeakMap<NamespaceSnapshot, Buffer>();

/** The Flipt v2 client snapshot JSON text of a namespace (cached; snapshots are immutable). */
export function clientSnapshotJson(ns: NamespaceSnapshot): string {
  let text = serialised.get(ns);
  if (text === undefined) {
    text = JSON.stringify(toClientSnapshot(ns));
    serialised.set(ns, text);
  }
  return text;
}

/** The same JSON gzip-compressed (cached: every polling client gets the same bytes). */
export function clientSnapshotGzip(ns: NamespaceSnapshot): Buffer {
  let bytes = gzipped.get(ns);
  if (bytes === undefined) {
    bytes = gzipSync(clientSnapshotJson(ns));
    gzipped.set(ns, bytes);
  }
  return bytes;
}

/**
 * The NDJSON stream line of a namespace, encoded once: a change fanned out to N streams writes the
 * same bytes N times instead of building and encoding an N-th copy of the snapshot text (L5).
 */
export function clientSnapshotStreamLine(ns: NamespaceSnapshot): Buffer {
  let bytes = ndjsonLines.get(ns);
  if (bytes === undefined) {
    bytes = Buffer.from(`{"result":${clientSnapshotJson(ns)}}\n`);
    ndjsonLines.set(ns, bytes);
  }
  return bytes;
}

/** The SSE refetch event of a namespace, encoded once (as above). */
export function refetchEvent(ns: NamespaceSnapshot): Buffer {
  let bytes = sseEvents.get(ns);
  if (bytes === undefined) {
    bytes = Buffer.from(
      `id: ${ns.digest.slice(0, 9)}\ndata: ${JSON.stringify({ etag: ns.digest, type: 'refetchEvaluation' })}\n\n`,
    );
    sseEvents.set(ns, bytes);
  }
  return bytes;
}

/** One open stream. */
export interface Subscriber {
  readonly environment: string;
  readonly namespace: string;
  /** Digest the client last received. */
  digest: string;
  send(ns: NamespaceSnapshot): void;
  end(): void;
}

/** Fans snapshot changes out to open streams. */
export class StreamHub {
  readonly #subs = new Set<Subscriber>();
  /** Other long-lived responses (mirror watch streams) that shutdown must end. */
  readonly #held = new Set<() => void>();
  readonly #unsubscribe: () => void;

  constructor(private readonly registry: EnvironmentRegistry) {
    this.#unsubscribe = registry.onChange((env, snapshot) => {
      for (const s of this.#subs) {
        if (s.environment !== env) continue;
        const ns = snapshot.namespaces.get(s.namespace);
        if (ns) this.offer(s, ns);
      }
    });
  }

  /** Registers a subscriber and sends the current namespace at once if its digest differs. */
  add(s: Subscriber): () => void {
    this.#subs.add(s);
    const ns = this.registry.snapshot(s.environment)?.namespaces.get(s.namespace);
    if (ns) this.offer(s, ns);
    return () => this.#subs.delete(s);
  }

  /** Registers another long-lived response to end at shutdown; returns the release function. */
  hold(end: () => void): () => void {
    this.#held.add(end);
    return () => this.#held.delete(end);
  }

  /** Number of open streams. */
  get size(): number {
    return this.#subs.size + this.#held.size;
  }

  /** Ends every stream (shutdown). */
  close(): void {
    this.#unsubscribe();
    for (const s of this.#subs) s.end();
    for (const end of this.#held) end();
    this.#subs.clear();
    this.#held.clear();
  }

  private offer(s: Subscriber, ns: NamespaceSnapshot): void {
    if (ns.digest === s.digest) return;
    s.digest = ns.digest;
    s.send(ns);
  }
}
