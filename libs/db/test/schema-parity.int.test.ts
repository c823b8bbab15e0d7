import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchyard/testing';
import { migrate, MIGRATIONS_DIR } from '../src/index.js';

/**
 * The SQL migrations are hand-written, so compare them with schema.prisma column by column:
 * type, nullability, defaults, unique constraints and foreign keys (with their ON DELETE rule).
 * A small parser covers the subset of the Prisma language this schema uses.
 */
const SCHEMA = readFileSync(
  fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url)),
  'utf8',
);

interface Field {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  attrs: string;
}
interface Model {
  name: string;
  table: string;
  fields: Field[];
  block: string;
}

function parse(): { models: Model[]; enums: Set<string> } {
  const enums = new Set([...SCHEMA.matchAll(/^enum (\w+) \{/gm)].map((m) => m[1]!));
  const models = [...SCHEMA.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].map((m) => {
    const block = m[2]!;
    const fields = block
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('//') && !l.startsWith('@@'))
      .map((l) => {
        const [, name, type, mod, attrs] = /^(\w+)\s+(\w+)(\?|\[\])?\s*(.*)$/.exec(l)!;
        return {
          name: name!,
          type: type!,
          optional: mod === '?',
          list: mod === '[]',
          attrs: attrs ?? '',
        };
      });
    return { name: m[1]!, table: /@@map\("(\w+)"\)/.exec(block)![1]!, fields, block };
  });
  return { models, enums };
}

const SQL_TYPE: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

let tdb: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  tdb = await createTestDatabase({
    migrationsDir: MIGRATIONS_DIR,
    migrate: (url) =>
      migrate({ databaseUrl: url, migrationsDir: MIGRATIONS_DIR }).then(() => undefined),
  });
  client = new pg.Client({ connectionString: tdb.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await tdb.drop();
});

describe('schema.prisma ↔ migration SQL', () => {
  const { models, enums } = parse();

  it('parses every model', () => {
    expect(models.length).toBe(25);
  });

  it('columns agree on type, nullability and defaults', async () => {
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: string;
      column_default: string | null;
      datetime_precision: number | null;
    }>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, datetime_precision FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const problems: string[] = [];
    const modelNames = new Set(models.map((m) => m.name));
    for (const model of models) {
      for (const f of model.fields.filter((x) => !modelNames.has(x.type))) {
        const col = rows.find((r) => r.table_name === model.table && r.column_name === f.name);
        const where = `${model.name}.${f.name}`;
        if (!col) {
          problems.push(`${where}: no column`);
          continue;
        }
        const expectedType = f.list
          ? 'ARRAY'
          : enums.has(f.type)
            ? 'USER-DEFINED'
            : SQL_TYPE[f.type];
        if (col.data_type !== expectedType)
          problems.push(`${where}: type ${col.data_type}, schema says ${expectedType}`);
        if (enums.has(f.type) && col.udt_name !== f.type)
          problems.push(`${where}: enum ${col.udt_name}`);
        if (f.type === 'DateTime' && col.datetime_precision !== 3)
          problems.push(`${where}: precision ${col.datetime_precision}`);
        // Prisma emits scalar lists as nullable columns; everything else follows `?`.
        const nullable = f.optional || f.list;
        if ((col.is_nullable === 'YES') !== nullable)
          problems.push(`${where}: nullable=${col.is_nullable}`);
        // Only database-side defaults appear in SQL (uuid(7) and @updatedAt are client-side).
        const dbDefault = /@default\((?!uuid)/.test(f.attrs);
        if (dbDefault !== (col.column_default !== null))
          problems.push(`${where}: default ${col.column_default}`);
        if (dbDefault && col.column_default !== null) {
          const literal = /@default\(([^()]*(?:\(\))?)\)/.exec(f.attrs)![1]!;
          const expected =
            literal === 'now()' ? 'CURRENT_TIMESTAMP' : literal.replace(/^"(.*)"$/, "'$1'::text");
          const actual = col.column_default.replace(/::"?\w+"?$/, '');
          if (!enums.has(f.type) && f.type !== 'String' && actual !== expected)
            problems.push(`${where}: default ${col.column_default} vs ${expected}`);
          if (
            (enums.has(f.type) || f.type === 'String') &&
            !col.column_default.includes(literal.replace(/"/g, ''))
          )
            problems.push(`${where}: default ${col.column_default} vs ${literal}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('unique constraints and primary keys agree', async () => {
    const { rows } = await client.query<{ indexname: string; tablename: string; indexdef: string }>(
      `SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const expected: string[] = [];
    for (const model of models) {
      for (const f of model.fields) {
        if (/@unique\b/.test(f.attrs)) expected.push(`${model.table}_${f.name}_key`);
        if (/@id\b/.test(f.attrs)) expected.push(`${model.table}_pkey`);
      }
      for (const m of model.block.matchAll(/@@unique\(\[([^\]]+)\]\)/g))
        expected.push(
          `${model.table}_${m[1]!
            .split(',')
            .map((s) => s.trim())
            .join('_')}_key`,
        );
      for (const m of model.block.matchAll(/@@index\(\[([^\]]+)\]\)/g))
        expected.push(
          `${model.table}_${m[1]!
            .split(',')
            .map((s) => s.trim())
            .join('_')}_idx`,
        );
      if (/@@id\(/.test(model.block)) expected.push(`${model.table}_pkey`);
    }
    const actual = rows.filter((r) => r.tablename !== '_prisma_migrations').map((r) => r.indexname);
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('foreign keys agree, with their ON DELETE rule', async () => {
    const { rows } = await client.query<{ conname: string; confdeltype: string }>(
      `SELECT conname, confdeltype FROM pg_constraint WHERE contype = 'f'`,
    );
    const RULE: Record<string, string> = { Cascade: 'c', SetNull: 'n', Restrict: 'r' };
    const expected: string[] = [];
    for (const model of models) {
      for (const f of model.fields) {
        const rel = /@relation\(fields: \[(\w+)\][^)]*?(?:onDelete: (\w+))?\)/.exec(f.attrs);
        if (!rel) continue;
        const rule = rel[2] ? RULE[rel[2]]! : f.optional ? 'n' : 'r';
        expected.push(`${model.table}_${rel[1]}_fkey:${rule}`);
      }
    }
    expect(rows.map((r) => `${r.conname}:${r.confdeltype}`).sort()).toEqual(expected.sort());
  });
});
