import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** Keys derived once from the root secret (HKDF-SHA256, one label per purpose). */
export interface Keys {
  encryption: Buffer;
  csrf: Buffer;
}

/** Derives purpose-specific keys so the root secret itself is never used directly. */
export function deriveKeys(secret: string): Keys {
  const derive = (label: string) =>
    Buffer.from(hkdfSync('sha256', secret, 'switchyard', label, 32));
  return { encryption: derive('encryption/v1'), csrf: derive('csrf/v1') };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with associated data. The AAD binds a ciphertext to its row (e.g. `orgId|id`), so a
 * ciphertext copied to another tenant's row fails to decrypt. Layout: iv | tag | ciphertext.
 */
export function seal(
  key: Buffer,
  plaintext: string | Buffer,
  aad: string,
): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), data]));
}

/** Reverses {@link seal}; throws when the key, AAD or ciphertext do not match. */
export function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** SHA-256 hex: how tokens and session secrets are stored (they carry ≥128 bits of entropy). */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** HMAC-SHA256 base64url. */
export function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
