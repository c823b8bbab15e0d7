import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featureFileJsonSchema } from './json-schema.js';

const COMMITTED = new URL('../../schema/flipt-features.schema.json', import.meta.url);

describe('JSON Schema of the feature-file format', () => {
  it('matches the committed file (run `npm run schema -w @switchyard/flags` after changing the model)', () => {
    expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(featureFileJsonSchema());
  });

  it('describes closed objects and the input shapes authors write', () => {
    const schema = featureFileJsonSchema() as {
      additionalProperties?: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(['version', 'namespace', 'flags', 'segments']);
  });
});
