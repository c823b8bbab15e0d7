/**
 * oidc-provider warns on import that Node 20 is not its preferred runtime, and on every provider
 * that its in-memory adapter is for development. Both are true and expected of a development
 * identity provider that keeps its state in memory on purpose; they are dropped here so the
 * output of `npm start` and the test suite shows only what needs attention. Imported before
 * oidc-provider (module evaluation follows import order).
 */
const EXPECTED = [
  /^oidc-provider WARNING: Unsupported runtime\./,
  /^oidc-provider WARNING: a quick start development-only in-memory adapter is used/,
];
// eslint-disable-next-line no-console -- wraps the console oidc-provider writes to
const warn = console.warn.bind(console);
// eslint-disable-next-line no-console -- wraps the console oidc-provider writes to
console.warn = (...args: unknown[]): void => {
  if (typeof args[0] === 'string' && EXPECTED.some((re) => re.test(args[0] as string))) return;
  warn(...args);
};
