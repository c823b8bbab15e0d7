/**
 * `npm run generate:docs`: writes the configuration reference tables of docs/operations.md (control
 * plane and edge variables) and docs/self-hosting.md (the data plane's options and config file) from
 * what validates them at boot: the zod schemas (descriptions from `.describe()` / `.meta()`) and the
 * documented `serve` options, between the `<!-- generated:… -->` markers. `--check` exits 1 when a
 * committed document differs; infra/test/config-reference.test.ts runs the same comparison.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from '../apps/control-plane/src/config/config.js';
import {
  SERVE_OPTION_DOCS,
  type ServeOptionDoc,
} from '../apps/data-plane/src/config/cli-config.js';
import { instanceConfigSchema } from '../apps/data-plane/src/config/instance-config.js';
import { edgeConfigSchema } from '../apps/edge/src/edge.config.js';

const docPath = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

/** Each generated document, with its tables by marker name. */
export const DOCS: Record<string, Record<string, () => string>> = {
  [docPath('operations.md')]: {
    'control-plane-config': () => table(configSchema),
    'edge-config': () => table(edgeConfigSchema),
  },
  [docPath('self-hosting.md')]: {
    'data-plane-options': () => optionsTable(SERVE_OPTION_DOCS),
    'data-plane-config-file': () => fieldsTable(instanceConfigSchema),
  },
};

interface Meta {
  description?: string;
  /** The effective default when it is derived at boot or depends on the machine. */
  docDefault?: string;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
  element?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  values?: unknown[];
}

const defOf = (s: z.ZodType) => s._zod.def as unknown as Def;

/**
 * Default, optionality, allowed values and description, looking through default/optional/pipe
 * wrappers; `inner` is the schema under them.
 */
function inspect(field: z.ZodType): {
  def?: unknown;
  optional: boolean;
  values?: string[];
  description?: string;
  docDefault?: string;
  inner: z.ZodType;
} {
  let s = field;
  let def: unknown;
  let optional = false;
  let meta: Meta = {};
  for (let i = 0; i < 10; i++) {
    const m = (z.globalRegistry.get(s) ?? {}) as Meta;
    meta = {
      description: meta.description ?? m.description,
      docDefault: meta.docDefault ?? m.docDefault,
    };
    const d = defOf(s);
    if (d.type === 'default') {
      def ??= d.defaultValue;
      s = d.innerType!;
    } else if (d.type === 'optional') {
      optional = true;
      s = d.innerType!;
    } else if (d.type === 'pipe') s = d.in!;
    else if (d.type === 'enum')
      return { def, optional, values: Object.values(d.entries ?? {}), ...meta, inner: s };
    else break;
  }
  return { def, optional, ...meta, inner: s };
}

/** How a default is shown: the documented one, `required`, `none`, a number or code. */
function shownDefault(info: { def?: unknown; optional: boolean; docDefault?: string }): string {
  const { def, optional, docDefault } = info;
  if (docDefault !== undefined) return docDefault;
  if (def === undefined) return optional ? 'none' : 'required';
  if (def === '') return 'empty';
  if (typeof def === 'number') return String(def);
  return `\`${JSON.stringify(def).replace(/^"|"$/g, '')}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The markdown table of one schema. */
export function table(schema: z.ZodObject): string {
  const rows = ['| variable | default | meaning |', '|---|---|---|'];
  for (const [name, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const info = inspect(field);
    if (!info.description) throw new Error(`${name}: no description (.describe() or .meta())`);
    const meaning = info.values
      ? `${info.description} (${info.values.map((v) => `\`${v}\``).join(', ')})`
      : info.description;
    rows.push(`| \`${name}\` | ${cell(shownDefault(info))} | ${cell(meaning)} |`);
  }
  return rows.join('\n');
}

/**
 * The markdown table of a nested config-file schema: one row per field, by dotted path (`[]` for
 * the elements of a list); the members of a union discriminated by `type` are named by that type.
 */
export function fieldsTable(schema: z.ZodObject): string {
  const rows = ['| field | default | meaning |', '|---|---|---|'];
  const walk = (shape: Record<string, z.ZodType>, prefix: string, only?: string) => {
    for (const [name, field] of Object.entries(shape)) {
      const path = `${prefix}${name}`;
      const info = inspect(field);
      const d = defOf(info.inner);
      if (d.type === 'literal' && name === 'type') continue;
      const element = d.type === 'array' ? inspect(d.element!).inner : undefined;
      const list = element !== undefined && defOf(element).type === 'object';
      const nested = list ? element : info.inner;
      const nd = defOf(nested);
      // A plain object is its fields; a list of objects gets a row of its own, then its fields.
      if (nd.type === 'object' && !list) {
        walk(nd.shape!, `${path}.`, only);
        continue;
      }
      if (!info.description) throw new Error(`${path}: no description (.describe() or .meta())`);
      const described = info.values
        ? `${info.description} (${info.values.map((v) => `\`${v}\``).join(', ')})`
        : info.description;
      const meaning = only ? `${only}: ${described}` : described;
      const byType =
        nd.type === 'union' && nd.options!.every((o) => defOf(o).shape?.['type'] !== undefined);
      if (byType) {
        const types = nd.options!.map((o) => defOf(defOf(o).shape!['type']!).values![0] as string);
        rows.push(
          `| \`${path}.type\` | required | ${cell(`${meaning}: ${types.map((t) => `\`${t}\``).join(', ')}`)} |`,
        );
        nd.options!.forEach((o, i) => walk(defOf(o).shape!, `${path}.`, `\`${types[i]}\``));
        continue;
      }
      rows.push(
        `| \`${path}${list ? '[]' : ''}\` | ${cell(shownDefault(info))} | ${cell(meaning)} |`,
      );
      if (list) walk(nd.shape!, `${path}[].`, only);
    }
  };
  walk(schema.shape, '');
  return rows.join('\n');
}

/** The markdown table of `switchyard serve`'s options and their environment variables. */
export function optionsTable(docs: Record<string, ServeOptionDoc>): string {
  const rows = ['| option | variable | default | meaning |', '|---|---|---|---|'];
  for (const [name, doc] of Object.entries(docs)) {
    const option = `\`--${name}${doc.value ? ` ${doc.value}` : ''}\``;
    const variable = doc.env ? `\`${doc.env}\`` : '';
    rows.push(`| ${option} | ${variable} | ${cell(doc.default)} | ${cell(doc.description)} |`);
  }
  return rows.join('\n');
}

/** The document `file` with every generated block replaced by what the schemas say now. */
export function render(file: string, doc: string): string {
  let out = doc;
  for (const [name, generate] of Object.entries(DOCS[file] ?? {})) {
    // The opening marker is the whole line `<!-- generated:NAME (…) -->`; what it says is kept.
    const opening = out.indexOf(`<!-- generated:${name} `);
    const from = out.indexOf('-->', opening) + 3;
    const to = out.indexOf(`<!-- /generated:${name} -->`);
    if (opening < 0 || to < from) throw new Error(`${file}: markers of ${name} missing`);
    out = `${out.slice(0, from)}\n${generate()}\n${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of Object.keys(DOCS)) {
    const current = readFileSync(file, 'utf8');
    const next = render(file, current);
    if (process.argv.includes('--check')) {
      if (next !== current) {
        process.stderr.write(`${file} is out of date: run npm run generate:docs\n`);
        process.exitCode = 1;
      }
    } else if (next !== current) {
      writeFileSync(file, next);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
}
