import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, hoistLocalDefs } from '../scripts/generate-api.mjs';

describe('typed API client', () => {
  it('src/lib/api/schema.d.ts matches apps/control-plane/openapi.json (run `npm run generate:api -w apps/web` after an API change)', async () => {
    const committed = readFileSync(new URL('../src/lib/api/schema.d.ts', import.meta.url), 'utf8');
    expect(committed === (await generate())).toBe(true);
  });

  it('hoists schema-local $defs into components so every $ref resolves from the document root', () => {
    const doc = {
      paths: {
        '/x': {
          put: {
            schema: {
              $defs: {
                __schema0: {
                  anyOf: [
                    { type: 'string' },
                    { type: 'array', items: { $ref: '#/$defs/__schema0' } },
                  ],
                },
              },
              properties: { m: { $ref: '#/$defs/__schema0' } },
            },
          },
        },
      },
    };
    const out = hoistLocalDefs(doc) as {
      paths: unknown;
      components: { schemas: Record<string, unknown> };
    };
    const text = JSON.stringify(out.paths);
    expect(text).not.toContain('#/$defs/');
    expect(text).toContain('#/components/schemas/Local1_schema0');
    expect(JSON.stringify(out.components.schemas['Local1_schema0'])).toContain(
      '#/components/schemas/Local1_schema0',
    );
  });
});
