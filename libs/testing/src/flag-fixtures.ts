/**
 * Flag files for sync-failure tests: valid YAML in Flipt's format whose environment does not load
 * (a rollout names a segment nobody defined), so a commit of it is refused by serving while the
 * last good revision keeps being served.
 */
export const UNKNOWN_SEGMENT_FLAGS_YAML = [
  'version: "1.4"',
  'namespace:',
  '  key: default',
  'flags:',
  '  - key: banner',
  '    name: Banner',
  '    type: BOOLEAN_FLAG_TYPE',
  '    enabled: true',
  '    rollouts:',
  '      - segment:',
  '          key: nobody-defined-this',
  '          value: true',
  '',
].join('\n');
