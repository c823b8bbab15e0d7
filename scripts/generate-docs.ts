/**
 * `npm run generate:docs`: writes the configuration reference tables of docs/operations.md from
 * the zod schemas that validate them at boot (descriptions from `.describe()` / `.meta()`), between
 * the `<!-- generated:… -->` markers. `--check` exits 1 when the committed document differs;
 * infra/test/config-reference.test.ts runs the same comparison in the suite.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from '../apps/control-plane/src/config/config.js';
import { edgeConfigSchema } from '../apps/edge/src/edge.config.js';

export const DOC = fileURLToPath(new URL('../docs/operations.md', import.meta.url));

/** The tables, by marker name, with the schema each one is generated from. */
const TABLES: Record<string, z.ZodObject> = {
  'control-plane-config': configSchema,
  'edge-config': edgeConfigSchema,
};

interface Meta {
  description?: string;
  /** The effective default when it is derived at boot or depends on the machine. */
  docDefault?: string;
}

/** Default, optionality and allowed values, looking through default/optional/pipe wrappers. */
function inspect(field: z.ZodType): { def?: unknown; optional: boolean; values?: string[] } {
  let s = field;
  let def: unknown;
  let optional = false;
  for (let i = 0; i < 10; i++) {
    const d = s._zod.def as unknown as {
      type: string;
      innerType?: z.ZodType;
      in?: z.ZodType;
      defaultValue?: unknown;
      entries?: Record<string, string>;
    };
    if (d.type === 'default') {
      def ??= d.defaultValue;
      s = d.innerType!;
    } else if (d.type === 'optional') {
      optional = true;
      s = d.innerType!;
    } else if (d.type === 'pipe') s = d.in!;
    else if (d.type === 'enum') return { def, optional, values: Object.values(d.entries ?? {}) };
    else break;
  }
  return { def, optional };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The markdown table of one schema. */
export function table(schema: z.ZodObject): string {
  const rows = ['| variable | default | meaning |', '|---|---|---|'];
  for (const [name, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const meta = (z.globalRegistry.get(field) ?? {}) as Meta;
    if (!meta.description) throw new Error(`${name}: no description (.describe() or .meta())`);
    const { def, optional, values } = inspect(field);
    const shown =
      meta.docDefault ??
      (def === undefined
        ? optional
          ? 'none'
          : 'required'
        : def === ''
          ? 'empty'
          : typeof def === 'number'
            ? String(def)
            : `\`${JSON.stringify(def).replace(/^"|"$/g, '')}\``);
    const meaning = values
      ? `${meta.description} (${values.map((v) => `\`${v}\``).join(', ')})`
      : meta.description;
    rows.push(`| \`${name}\` | ${cell(shown)} | ${cell(meaning)} |`);
  }
  return rows.join('\n');
}

/** The document with every generated block replaced by what the schemas say now. */
export function render(doc: string): string {
  let out = doc;
  for (const [name, schema] of Object.entries(TABLES)) {
    const begin = `<!-- generated:${name} (npm run generate:docs; edit the zod schema, not this table) -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${DOC}: markers of ${name} missing`);
    out = `${out.slice(0, from + begin.length)}\n${table(schema)}\n${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const current = readFileSync(DOC, 'utf8');
  const next = render(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      process.stderr.write(`${DOC} is out of date: run npm run generate:docs\n`);
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(DOC, next);
    process.stdout.write(`wrote ${DOC}\n`);
  }
}
