import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sha256 } from './crypto.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ENTROPY_CHARS = 30; // 30 base62 chars ≈ 178 bits
const CHECKSUM_CHARS = 6;
const DISPLAY_CHARS = 6;

/** Kinds of secret token; the prefix lets secret scanners recognise a leaked one. */
export type TokenKind = 'live' | 'pat';
const PREFIX: Record<TokenKind, string> = { live: 'sy_live_', pat: 'sy_pat_' };

function base62(n: number, width: number): string {
  let out = '';
  let v = n >>> 0;
  while (v > 0) {
    out = ALPHABET[v % 62]! + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

function checksum(entropy: string): string {
  return base62(crc32(entropy), CHECKSUM_CHARS);
}

/** A freshly minted token: `secret` is shown once, only `hash` and `displayPrefix` are stored. */
export interface MintedToken {
  secret: string;
  hash: string;
  displayPrefix: string;
}

/** `sy_<kind>_<30 random base62>_<crc32 of the random part, base62, 6 chars>` (GitHub's scheme). */
export function mintToken(kind: TokenKind): MintedToken {
  let entropy = '';
  for (let i = 0; i < ENTROPY_CHARS; i++) entropy += ALPHABET[randomInt(62)]!;
  const secret = `${PREFIX[kind]}${entropy}_${checksum(entropy)}`;
  return {
    secret,
    hash: sha256(secret),
    displayPrefix: `${PREFIX[kind]}${entropy.slice(0, DISPLAY_CHARS)}`,
  };
}

/** True when `value` has the shape and a valid checksum for `kind` (cheap offline rejection). */
export function isWellFormedToken(kind: TokenKind, value: string): boolean {
  const prefix = PREFIX[kind];
  if (!value.startsWith(prefix)) return false;
  const rest = value.slice(prefix.length);
  const match = /^([0-9A-Za-z]{30})_([0-9A-Za-z]{6})$/.exec(rest);
  return match !== null && checksum(match[1]!) === match[2];
}
