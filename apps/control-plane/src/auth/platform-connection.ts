/**
 * Id of the SSO connection configured by the platform operator (not an organisation's): auth's
 * rate limits give it no per-connection budget, and sso resolves it from the environment.
 */
export const PLATFORM_CONNECTION = 'platform';
