/**
 * The digest of a namespace at a revision: the client snapshot's ETag and the stream's `digest`.
 * SHA-1 hex of `revision NUL namespaceKey` (what the engine computed itself before it took the
 * digest as an argument), so every instance and every restart agrees and SDK caches stay valid.
 */
import { createHash } from 'node:crypto';
import type { NamespaceDigest } from '@switchyard/flags';

/** SHA-1 hex of the UTF-8 bytes of `revision NUL namespaceKey`. */
export const namespaceDigest: NamespaceDigest = (revision, namespaceKey) =>
  createHash('sha1').update(`${revision}\u0000${namespaceKey}`).digest('hex');

/**
 * Git's object id of a file's bytes (SHA-1 of `blob <size> NUL <bytes>`): what git itself
 * would call the blob, so equal ids mean equal content whatever source the bytes came from.
 */
export function gitBlobId(content: Uint8Array): string {
  return createHash('sha1')
    .update(`blob ${content.byteLength}\u0000`)
    .update(content)
    .digest('hex');
}
