/**
 * Turns zod issues from `documentSchema` into diagnostics that name the file, line, column and
 * field path, say what is wrong and how to fix it.
 */
import type { z } from 'zod';
import { OBJECT_FIELDS } from '../model/schema.js';
import { closest, diagnostic, formatPath, type Diagnostic } from './diagnostics.js';
import type { Locator } from './source-map.js';

type Issue = z.core.$ZodIssue;

/** Diagnostics for every issue of a failed document parse. */
export function schemaDiagnostics(
  issues: readonly Issue[],
  file: string,
  locate: Locator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = [...path, key];
        out.push(
          diagnostic('error', 'unknown-field', unknownFieldMessage(key, path), {
            file,
            position: locate(at, true),
            path: formatPath(at),
          }),
        );
      }
      continue;
    }
    out.push(
      diagnostic('error', 'schema', issueMessage(issue), {
        file,
        position: locate(path),
        path: formatPath(path),
      }),
    );
  }
  return out;
}

function unknownFieldMessage(key: string, objectPath: readonly PropertyKey[]): string {
  const kind = objectKind(objectPath);
  const allowed = OBJECT_FIELDS[kind] ?? [];
  const suggestion = closest(key, allowed);
  const fix =
    suggestion !== undefined
      ? `did you mean "${suggestion}"?`
      : `remove it; a ${kind} accepts ${allowed.join(', ')}`;
  return `unknown field "${key}" (${fix})`;
}

/** Which object of the format a path points at, e.g. `['flags', 0, 'rules', 1]` → `rule`. */
export function objectKind(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (path.length === 0) return 'document';
  if (typeof last === 'number') {
    const singular: Record<string, string> = {
      flags: 'flag',
      variants: 'variant',
      rules: 'rule',
      distributions: 'distribution',
      rollouts: 'rollout',
      segments: 'segment',
      constraints: 'constraint',
    };
    return singular[String(parent)] ?? 'value';
  }
  if (last === 'segment')
    return path[path.length - 3] === 'rollouts' ? 'rolloutSegment' : 'ruleSegment';
  return String(last);
}

function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined)
        return `missing required field "${String(issue.path[issue.path.length - 1])}" (add it)`;
      return `expected ${article(issue.expected)}, got ${describe(issue.input)} (change the value to ${article(issue.expected)})`;
    case 'invalid_value':
      if (issue.input === undefined)
        return `missing required field "${String(issue.path[issue.path.length - 1])}" (add it: one of ${issue.values.map(String).join(', ')})`;
      return `${JSON.stringify(issue.input)} is not allowed (use one of ${issue.values.map(String).join(', ')})`;
    case 'invalid_union':
      return `${customMessage(issue.message, 'has the wrong shape')}, got ${describe(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return issue.origin === 'number'
        ? `${String(issue.input)} ${issue.message}`
        : `${issue.message}`;
    case 'invalid_format':
      return `${JSON.stringify(issue.input)} ${issue.message}`;
    default:
      return issue.message;
  }
}

/** zod's generic fallbacks start with "Invalid"; ours are written for authors. */
function customMessage(message: string, fallback: string): string {
  return message.startsWith('Invalid') ? fallback : message;
}

function article(noun: string): string {
  return /^[aeiou]/u.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return typeof value;
}
