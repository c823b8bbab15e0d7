/** The default environment of a configuration, without the schemas that validate it. */
import type { InstanceConfig } from './instance-config.js';

/** The default environment key: the one marked default, else the first. */
export function defaultEnvironmentKey(config: InstanceConfig): string | undefined {
  return (config.environments.find((e) => e.default) ?? config.environments[0])?.key;
}
