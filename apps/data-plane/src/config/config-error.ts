/**
 * The configuration error of every config module (zod-free: instance mode reports it without
 * loading the configuration-file schemas).
 */

/** Thrown when the configuration is invalid; `issues` name every bad field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
  }
}
