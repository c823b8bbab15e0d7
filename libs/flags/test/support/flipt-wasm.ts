/**
 * Loads a client snapshot into Flipt's real client-side engine (`@flipt-io/flipt-client-js`, the
 * Rust engine compiled to WASM) through its custom-fetcher hook: no network involved.
 */
import { FliptClient } from '@flipt-io/flipt-client-js';
import type { ClientNamespaceSnapshot } from '../../src/engine/client-snapshot.js';

/** A Flipt client-side engine holding `snapshot`. */
export function fliptWasmClient(snapshot: ClientNamespaceSnapshot): Promise<FliptClient> {
  const fetcher = () =>
    Promise.resolve({
      ok: true,
      status: 200,
      statusText: 'OK',
      headers: { get: (name: string) => (name.toLowerCase() === 'etag' ? snapshot.digest : null) },
      json: () => Promise.resolve(JSON.parse(JSON.stringify(snapshot)) as unknown),
    });
  return FliptClient.init({
    namespace: snapshot.namespace.key,
    fetcher,
    updateInterval: 1_000_000,
  });
}
