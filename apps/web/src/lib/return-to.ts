/** Only a same-origin absolute path (mirrors the control plane's rule); anything else is `/`. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  const parsed = new URL(value, 'https://console.invalid');
  if (parsed.origin !== 'https://console.invalid') return '/';
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
