import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DOC, render, table } from '../../scripts/generate-docs.js';

describe("docs/operations.md's configuration reference", () => {
  it('is what the zod schemas generate (npm run generate:docs)', () => {
    const committed = readFileSync(DOC, 'utf8');
    expect(render(committed), 'run npm run generate:docs and commit docs/operations.md').toBe(
      committed,
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
