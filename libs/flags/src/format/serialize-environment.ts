/**
 * Writes a whole environment in the Flipt v2 layout (the one both layouts'
 * readers accept, and the one Flipt itself now writes): one `<namespace>/features.yaml`
 * per namespace, each naming its namespace as `{key, name, description}`.
 */
import {
  LATEST_FORMAT_VERSION,
  type Document,
  type Environment,
  type FORMAT_VERSIONS,
} from '../model/schema.js';
import { serializeDocument } from './serialize.js';

/** Options for serializeEnvironment. */
export interface SerializeEnvironmentOptions {
  format?: 'yaml' | 'json';
  /** Format version written into every file (1.4 or later: the layout needs the namespace object). Default: latest. */
  version?: (typeof FORMAT_VERSIONS)[number];
}

/** Path → file text of every namespace, in the environment's namespace order. */
export function serializeEnvironment(
  environment: Environment,
  options?: SerializeEnvironmentOptions,
): Map<string, string> {
  const format = options?.format ?? 'yaml';
  const files = new Map<string, string>();
  for (const ns of environment.namespaces) {
    const document: Document = {
      version: options?.version ?? LATEST_FORMAT_VERSION,
      namespace: { key: ns.key, name: ns.name, description: ns.description },
      flags: ns.flags,
      segments: ns.segments,
    };
    files.set(`${ns.key}/features.${format}`, serializeDocument(document, { format }));
  }
  return files;
}
