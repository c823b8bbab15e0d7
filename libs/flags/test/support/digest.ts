/** The namespace digest the data plane compiles with (SHA-1 hex of `revision NUL namespace`), for tests and benches. */
import { createHash } from 'node:crypto';

/** SHA-1 hex of the UTF-8 bytes of `revision NUL namespaceKey`. */
export function sha1Digest(revision: string, namespaceKey: string): string {
  return createHash('sha1').update(`${revision}\u0000${namespaceKey}`).digest('hex');
}
