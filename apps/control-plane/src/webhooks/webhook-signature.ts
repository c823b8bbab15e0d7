import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The per-repository webhook secret: derived (HKDF) from the encryption key, so nothing extra is stored. */
export function webhookSecret(encryptionKey: Buffer, orgId: string, repositoryId: string): string {
  return Buffer.from(
    hkdfSync('sha256', encryptionKey, 'switchyard', `webhook/v1|${orgId}|${repositoryId}`, 32),
  ).toString('hex');
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyGithub(secret: string, raw: Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  return equal(header, `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
}

/** GitLab: `X-Gitlab-Token` carries the secret itself. */
export function verifyGitlab(secret: string, header: string | undefined): boolean {
  return typeof header === 'string' && equal(header, secret);
}
