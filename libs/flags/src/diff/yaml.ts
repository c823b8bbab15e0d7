import { LATEST_FORMAT_VERSION, type Flag, type Segment } from '../model/schema.js';
import { serializeDocument } from '../format/serialize.js';

/**
 * One flag as a stand-alone YAML document in its namespace, for comparing two states of it
 * line by line. The version is the latest so every construct keeps its canonical spelling.
 */
export function flagYaml(namespace: string, flag: Flag | undefined): string {
  if (flag === undefined) return '';
  return serializeDocument({
    version: LATEST_FORMAT_VERSION,
    namespace: { key: namespace },
    flags: [flag],
    segments: [],
  });
}

/** One segment as a stand-alone YAML document in its namespace (see {@link flagYaml}). */
export function segmentYaml(namespace: string, segment: Segment | undefined): string {
  if (segment === undefined) return '';
  return serializeDocument({
    version: LATEST_FORMAT_VERSION,
    namespace: { key: namespace },
    flags: [],
    segments: [segment],
  });
}
