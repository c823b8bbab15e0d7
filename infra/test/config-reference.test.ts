import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SERVE_OPTION_DOCS } from '../../apps/data-plane/src/config/cli-config.js';
import { DOCS, fieldsTable, render, table } from '../../scripts/generate-docs.js';

describe('the configuration references in docs/', () => {
  it.each(Object.keys(DOCS).map((file) => [basename(file), file]))(
    '%s is what the schemas generate (npm run generate:docs)',
    (_name, file) => {
      const committed = readFileSync(file, 'utf8');
      expect(render(file, committed), `run npm run generate:docs and commit ${file}`).toBe(
        committed,
      );
    },
  );

  it("documents every variable the data plane's option parser reads", () => {
    const source = readFileSync(
      new URL('../../apps/data-plane/src/config/cli-config.ts', import.meta.url),
      'utf8',
    );
    const read = new Set(source.match(/env\.SWITCHYARD_[A-Z_]+/g)!.map((m) => m.slice(4)));
    const documented = new Set(Object.values(SERVE_OPTION_DOCS).map((d) => d.env));
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((v) => !documented.has(v))).toEqual([]);
  });

  it('lists nested config-file fields by path, union members by type, and refuses an undocumented one', () => {
    const schema = z.object({
      auth: z.object({ required: z.boolean().default(true).describe('require a token') }),
      items: z.array(z.object({ key: z.string().describe('the key') })).describe('the items'),
      source: z
        .discriminatedUnion('type', [
          z.object({ type: z.literal('a'), path: z.string().describe('a path') }),
          z.object({ type: z.literal('b'), url: z.string().optional().describe('a URL') }),
        ])
        .describe('the source'),
    });
    expect(fieldsTable(schema).split('\n').slice(2)).toEqual([
      '| `auth.required` | `true` | require a token |',
      '| `items[]` | required | the items |',
      '| `items[].key` | required | the key |',
      '| `source.type` | required | the source: `a`, `b` |',
      '| `source.path` | required | `a`: a path |',
      '| `source.url` | none | `b`: a URL |',
    ]);
    expect(() => fieldsTable(z.object({ nested: z.object({ bare: z.string() }) }))).toThrow(
      /nested\.bare/,
    );
  });

  it('shows defaults, requiredness, allowed values and the documented default of derived ones', () => {
    const out = table(
      z.object({
        A: z.coerce.number().default(3).describe('a number'),
        B: z.string().describe('needed'),
        C: z.enum(['x', 'y']).optional().describe('a choice'),
        D: z.string().default('').meta({ description: 'derived', docDefault: 'from A' }),
      }),
    );
    expect(out.split('\n').slice(2)).toEqual([
      '| `A` | 3 | a number |',
      '| `B` | required | needed |',
      '| `C` | none | a choice (`x`, `y`) |',
      '| `D` | from A | derived |',
    ]);
  });

  it('refuses a variable without a description', () => {
    expect(() => table(z.object({ UNDOCUMENTED: z.string() }))).toThrow(/UNDOCUMENTED/);
  });
});
