import { createHmac } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWTPayload } from 'jose';
import { ROGUE_KEY, SIGNING_KEY } from './keys.js';

/** How a deliberately broken ID token is signed. */
export type TamperSigning = 'valid' | 'rogue-key' | 'unknown-kid' | 'none' | 'hs256-public-key';

/**
 * Test-mode rewrite of the ID token the token endpoint returns. `claims` are merged over the real
 * ones (a value of `undefined` removes the claim); `sign` picks the key or algorithm.
 */
export interface IdTokenTamper {
  claims?: Record<string, unknown>;
  sign?: TamperSigning;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Re-mints `idToken` according to `tamper`. */
export async function tamperIdToken(idToken: string, tamper: IdTokenTamper): Promise<string> {
  const payload: JWTPayload = { ...decodeJwt(idToken) };
  for (const [k, v] of Object.entries(tamper.claims ?? {})) {
    if (v === undefined) delete payload[k];
    else payload[k] = v;
  }
  const kid = decodeProtectedHeader(idToken).kid ?? SIGNING_KEY.kid;
  const sign = tamper.sign ?? 'valid';
  if (sign === 'none') return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
  if (sign === 'hs256-public-key') {
    // Algorithm confusion: HMAC keyed with the public modulus a verifier might mistake for a secret.
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', SIGNING_KEY.n).update(input).digest('base64url')}`;
  }
  const jwk = sign === 'valid' ? SIGNING_KEY : ROGUE_KEY;
  const headerKid = sign === 'unknown-kid' ? 'no-such-key' : kid;
  const key = await importJWK({ ...jwk }, 'RS256');
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: headerKid })
    .sign(key);
}
