/**
 * Where to send the browser after login: only a same-origin absolute path. Anything that a browser
 * could read as another origin (`//host`, `/\host`, a scheme, control characters) becomes `/`.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Browsers treat `\` as `/` and drop tabs/newlines while parsing, so `/\t/evil.com` is `//evil.com`.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  const parsed = new URL(value, 'https://switchyard.invalid');
  if (parsed.origin !== 'https://switchyard.invalid') return '/';
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
