const BASE = 'https://switchyard.invalid';
// Enough rounds for any double/triple encoding; a value still changing after that is refused.
const MAX_DECODE_ROUNDS = 5;

/** Percent-decodes byte by byte until stable (malformed escapes stay as they are); null when it never settles. */
function decodeFully(value: string): string | null {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = current.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
    if (next === current) return current;
    current = next;
  }
  return null;
}

/**
 * True when a browser (or a console router that decodes the path once more) could read `path` as
 * another origin. Browsers drop tabs and newlines and read `\` as `/` while parsing, so those are
 * normalised first; then dot segments are resolved (`/a/../..//evil.com` is `//evil.com`).
 */
function leavesOrigin(path: string): boolean {
  const p = path.replace(/[\t\n\r]/g, '').replace(/\\/g, '/');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) return true;
  if (!p.startsWith('/') || p.startsWith('//')) return true;
  const parsed = new URL(p, BASE);
  return parsed.origin !== BASE || parsed.pathname.startsWith('//');
}

/**
 * Where to send the browser after login: only a same-origin absolute path. The value is checked
 * raw, after full percent-decoding and after the URL parser's own normalisation; anything that any
 * of those reads as another origin (`//host`, `/\host`, `/.//host`, `/%2e%2e//host`, a scheme,
 * control characters) becomes `/`. What survives is the parser's serialisation, checked once more.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  const decoded = decodeFully(value);
  if (decoded === null || leavesOrigin(value) || leavesOrigin(decoded)) return '/';
  const parsed = new URL(value, BASE);
  const out = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  const outDecoded = decodeFully(out);
  if (outDecoded === null || leavesOrigin(out) || leavesOrigin(outDecoded)) return '/';
  return out;
}
