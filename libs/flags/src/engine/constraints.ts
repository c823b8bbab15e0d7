/**
 * Constraint matching with the semantics of Flipt's client engine, so that a
 * snapshot evaluates the same here and inside every Flipt client SDK:
 * - strings are compared untrimmed; a missing context key is `""`; every operator but
 *   empty/notempty is false on `""`;
 * - numbers are 32-bit integers (`[+-]digits`); anything else never matches;
 * - booleans are exactly `true` / `false`;
 * - datetimes are RFC 3339 and compared in whole seconds;
 * - `isoneof` lists are JSON arrays; a list that does not parse (or holds escaped strings, or
 *   non-integers for numbers) makes `isoneof` false, and `isnotoneof` true for strings but false
 *   for numbers.
 * Each constraint is compiled once into a predicate over the raw value.
 */
import type { Constraint } from '../model/schema.js';

/** A compiled predicate over the context value (or entity id). */
export type ValueTest = (v: string) => boolean;

const NEVER: ValueTest = () => false;
const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

/** Parses a Rust-style `i32` (`[+-]?[0-9]+`, in range) or returns undefined. */
export function parseI32(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= I32_MIN && n <= I32_MAX ? n : undefined;
}

/** The constraint's value as the text the client snapshot carries (1.6 lists become JSON arrays). */
export function constraintValueText(value: Constraint['value']): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A JSON array of strings without escapes (the client engine borrows strings and rejects escapes). */
function parseStringList(text: string): Set<string> | undefined {
  if (text.includes('\\')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return undefined;
  return new Set(parsed);
}

// Integer literals only: serde_json reads `-0`, `1.0` and `1e2` as floats, which the engine rejects.
const INT_LIST =
  /^[ \t\n\r]*\[[ \t\n\r]*(?:(?:0|-?[1-9][0-9]*)[ \t\n\r]*(?:,[ \t\n\r]*(?:0|-?[1-9][0-9]*)[ \t\n\r]*)*)?\][ \t\n\r]*$/;

/** A JSON array of integer literals within i32 range, or undefined. */
function parseIntList(text: string): Set<number> | undefined {
  if (!INT_LIST.test(text)) return undefined;
  const nums = JSON.parse(text) as number[];
  return nums.every((n) => n >= I32_MIN && n <= I32_MAX) ? new Set(nums) : undefined;
}

function stringTest(op: string, value: string): ValueTest {
  switch (op) {
    case 'empty':
      return (v) => v === '';
    case 'notempty':
      return (v) => v !== '';
    case 'eq':
      return (v) => v !== '' && v === value;
    case 'neq':
      return (v) => v !== '' && v !== value;
    case 'prefix':
      return (v) => v !== '' && v.startsWith(value);
    case 'suffix':
      return (v) => v !== '' && v.endsWith(value);
    case 'contains':
      return (v) => v !== '' && v.includes(value);
    case 'notcontains':
      return (v) => v !== '' && !v.includes(value);
    case 'isoneof': {
      const set = parseStringList(value);
      return set ? (v) => v !== '' && set.has(v) : NEVER;
    }
    case 'isnotoneof': {
      const set = parseStringList(value);
      return set ? (v) => v !== '' && !set.has(v) : (v) => v !== '';
    }
    default:
      return NEVER;
  }
}

function presence(op: string): ValueTest | undefined {
  if (op === 'present') return (v) => v !== '';
  if (op === 'notpresent') return (v) => v === '';
  return undefined;
}

function numberTest(op: string, value: string): ValueTest {
  const p = presence(op);
  if (p) return p;
  if (op === 'isoneof' || op === 'isnotoneof') {
    const set = parseIntList(value);
    if (!set) return NEVER;
    const want = op === 'isoneof';
    return (v) => {
      const n = parseI32(v);
      return n !== undefined && set.has(n) === want;
    };
  }
  const c = parseI32(value);
  const cmp = COMPARATORS[op];
  if (c === undefined || !cmp) return NEVER;
  return (v) => {
    const n = parseI32(v);
    return n !== undefined && cmp(n, c);
  };
}

const COMPARATORS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

function booleanTest(op: string): ValueTest {
  const p = presence(op);
  if (p) return p;
  if (op === 'true') return (v) => v === 'true';
  if (op === 'false') return (v) => v === 'false';
  return NEVER;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Whole seconds since the epoch of an RFC 3339 timestamp (a leap second counts as :59), or undefined. */
export function parseRfc3339Seconds(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60)
    return undefined;
  let offset = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + Math.min(sec, 59) - offset;
}

function datetimeTest(op: string, value: string): ValueTest {
  const p = presence(op);
  if (p) return p;
  const c = parseRfc3339Seconds(value);
  const cmp = COMPARATORS[op];
  if (c === undefined || !cmp) return NEVER;
  return (v) => {
    const t = v === '' ? undefined : parseRfc3339Seconds(v);
    return t !== undefined && cmp(t, c);
  };
}

/** Compiles one constraint into a predicate over its input value. */
export function compileConstraint(c: Constraint): ValueTest {
  const value = constraintValueText(c.value);
  switch (c.type) {
    case 'STRING_COMPARISON_TYPE':
    case 'ENTITY_ID_COMPARISON_TYPE':
      return stringTest(c.operator, value);
    case 'NUMBER_COMPARISON_TYPE':
      return numberTest(c.operator, value);
    case 'BOOLEAN_COMPARISON_TYPE':
      return booleanTest(c.operator);
    case 'DATETIME_COMPARISON_TYPE':
      return datetimeTest(c.operator, value);
  }
}
