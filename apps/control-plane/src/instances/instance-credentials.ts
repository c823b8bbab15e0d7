/**
 * Instance and edge credentials. An instance's secret is an HMAC of its id under a key derived
 * from the root secret, so a restarted worker can hand the same secret to an instance it adopts
 * without ever storing the plaintext; the database keeps only its SHA-256 (checked on each call).
 */
import { hkdfSync } from 'node:crypto';
import { hmac, sha256 } from '../common/crypto.js';

function key(secret: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'switchyard', label, 32));
}

/** The secret instance `instanceId` presents to the internal gRPC service. */
export function instanceSecret(rootSecret: string, instanceId: string): string {
  return `syi_${hmac(key(rootSecret, 'instance/v1'), instanceId)}`;
}

/** What the database stores for an instance secret. */
export function instanceSecretHash(secret: string): string {
  return sha256(secret);
}

/** The edge router's credential: the configured EDGE_TOKEN, else derived from the root secret. */
export function edgeToken(rootSecret: string, configured: string | undefined): string {
  return configured ?? `sye_${hmac(key(rootSecret, 'edge/v1'), 'edge')}`;
}
