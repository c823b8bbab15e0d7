/**
 * Checks one constraint's value against its type and operator. Errors are values no engine can
 * use; warnings are values Flipt's client engine (the Rust engine in every SDK) evaluates
 * differently from what the author likely meant: warned about, never rewritten, because the file in
 * git is what every engine reads.
 */
import type { Constraint } from '../model/schema.js';
import { versionRank } from './version-rules.js';
import { FORMAT_VERSIONS } from '../model/schema.js';
import { MAX_JSON_DEPTH, jsonDepthViolation } from './json-limits.js';

/** A finding about a constraint, relative to the constraint's path. */
export interface ConstraintFinding {
  severity: 'error' | 'warning';
  code: 'constraint-value' | 'client-engine' | 'ignored' | 'version';
  path: PropertyKey[];
  message: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/u;
const INT32 = /^[+-]?\d+$/u;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/u;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/u;
/** Quotes, backslashes and control characters: what JSON.stringify has to escape. */
function needsJsonEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}
const VALUE_OPTIONAL = new Set(['empty', 'notempty', 'present', 'notpresent', 'true', 'false']);
const LIST_OPERATORS = new Set(['isoneof', 'isnotoneof']);
const V16 = FORMAT_VERSIONS.indexOf('1.6');

/** Findings for a constraint in a document of the given version. */
export function checkConstraint(c: Constraint, version: string | undefined): ConstraintFinding[] {
  const out: ConstraintFinding[] = [];
  const add = (
    severity: ConstraintFinding['severity'],
    code: ConstraintFinding['code'],
    message: string,
  ): void => {
    out.push({ severity, code, path: ['value'], message });
  };
  if (VALUE_OPTIONAL.has(c.operator)) {
    if (c.value !== undefined)
      add('warning', 'ignored', `operator ${c.operator} ignores the value (remove value)`);
    return out;
  }
  if (LIST_OPERATORS.has(c.operator)) return (checkList(c, versionRank(version) >= V16, add), out);
  if (Array.isArray(c.value))
    return (
      add(
        'error',
        'constraint-value',
        `lists are only allowed for isoneof and isnotoneof (write a single value)`,
      ),
      out
    );
  const value = c.value ?? '';
  if (c.type === 'NUMBER_COMPARISON_TYPE') checkNumber(value, add);
  else if (c.type === 'DATETIME_COMPARISON_TYPE') checkDateTime(value, add);
  else if (value === '')
    add(
      'warning',
      'constraint-value',
      `operator ${c.operator} with an empty value never matches (set value)`,
    );
  else if ((c.operator === 'prefix' || c.operator === 'suffix') && value.trim() !== value)
    add(
      'warning',
      'client-engine',
      `value has leading or trailing whitespace; Flipt's server trims the context value before ${c.operator} but the client engine does not, so they can disagree (remove the whitespace)`,
    );
  return out;
}

type Add = (
  severity: ConstraintFinding['severity'],
  code: ConstraintFinding['code'],
  message: string,
) => void;

function checkNumber(value: string, add: Add): void {
  if (!NUMBER.test(value.trim()))
    return add(
      'error',
      'constraint-value',
      `${JSON.stringify(value)} is not a number (write a number such as 42)`,
    );
  if (!isInt32(value.trim()))
    add(
      'warning',
      'client-engine',
      `${value} is not a 32-bit integer; Flipt's client engine parses integers only, so this constraint never matches there (use an integer between -2147483648 and 2147483647)`,
    );
}

function isInt32(v: string): boolean {
  if (!INT32.test(v)) return false;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647;
}

function checkDateTime(value: string, add: Add): void {
  const v = value.trim();
  if (DATE_ONLY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
    return add(
      'warning',
      'client-engine',
      `${v} is a date without a time; Flipt's client engine reads RFC 3339 only, so this constraint never matches there (write ${v}T00:00:00Z)`,
    );
  }
  const m = RFC3339.exec(v);
  if (m === null || Number.isNaN(Date.parse(v)))
    return add(
      'error',
      'constraint-value',
      `${JSON.stringify(value)} is not an RFC 3339 date-time (write e.g. 2025-01-31T12:00:00Z)`,
    );
  if (m[1] !== undefined)
    add(
      'warning',
      'client-engine',
      `fractional seconds are ignored by Flipt's client engine, which compares whole seconds (drop ${m[1]})`,
    );
}

function checkList(c: Constraint, listsAllowed: boolean, add: Add): void {
  const numeric = c.type === 'NUMBER_COMPARISON_TYPE';
  const example = numeric ? '[18, 21]' : '[a, b]';
  if (c.value === undefined)
    return add(
      'error',
      'constraint-value',
      `${c.operator} needs a list of values (set value: ${example})`,
    );
  let items: unknown[];
  if (Array.isArray(c.value)) {
    if (!listsAllowed)
      return add(
        'error',
        'version',
        `list values need format 1.6 (write the list as a JSON string such as '${JSON.stringify(numeric ? [18, 21] : ['a', 'b'])}' or set version: "1.6")`,
      );
    items = c.value;
  } else {
    if (listsAllowed)
      return add(
        'error',
        'version',
        `in format 1.6 ${c.operator} values are lists (write value: ${example} instead of a JSON string, or set version: "1.5")`,
      );
    // A deep `[[[…]]]` string would overflow the stack when quoted back in a message below.
    if (jsonDepthViolation(c.value) >= 0)
      return add(
        'error',
        'constraint-value',
        `JSON nesting deeper than ${MAX_JSON_DEPTH} levels (write a flat list such as '${JSON.stringify(numeric ? [18, 21] : ['a', 'b'])}')`,
      );
    const parsed = parseJsonArray(c.value);
    if (parsed === undefined)
      return add(
        'error',
        'constraint-value',
        `${JSON.stringify(c.value)} is not a JSON array (write e.g. '${JSON.stringify(numeric ? [18, 21] : ['a', 'b'])}')`,
      );
    items = parsed;
  }
  const wrong = items.find((x) => (numeric ? typeof x !== 'number' : typeof x !== 'string'));
  if (wrong !== undefined)
    return add(
      'error',
      'constraint-value',
      `${JSON.stringify(wrong)} is not a ${numeric ? 'number' : 'string'} (every element of a ${c.type} list must be a ${numeric ? 'number' : 'string'})`,
    );
  if (numeric && items.some((x) => !isInt32(String(x))))
    add(
      'warning',
      'client-engine',
      `the list has numbers that are not 32-bit integers; Flipt's client engine never matches them (use integers)`,
    );
  if (!numeric && items.some((x) => needsJsonEscape(x as string)))
    add(
      'warning',
      'client-engine',
      `the list has values with quotes, backslashes or control characters, which Flipt's engines read from an escaped JSON string and may not match as written (avoid these characters)`,
    );
}

function parseJsonArray(text: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
