/**
 * Diagnostics: what the loader tells an author about a feature file. Errors block the snapshot;
 * warnings never do (the console shows them on save).
 */
import type { FieldViolation } from '../errors.js';

/** One problem found while loading feature files. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable machine-readable code, one of DIAGNOSTIC_CODES. */
  code: string;
  /** What is wrong, then (in parentheses) how to fix it. */
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** Field path inside the document, e.g. `flags[0].rules[1].segment`. */
  path?: string;
}

/** Every diagnostic code the format layer emits. */
export const DIAGNOSTIC_CODES = [
  'file-too-large',
  'environment-too-large',
  'too-many-files',
  'too-many-documents',
  'too-deep',
  'too-many-aliases',
  'forbidden-key',
  'bad-encoding',
  'bad-extension',
  'syntax',
  'schema',
  'unknown-field',
  'version',
  'bad-index',
  'duplicate-key',
  'unknown-segment',
  'unknown-variant',
  'default-variant',
  'distribution-sum',
  'constraint-value',
  'client-engine',
  'compat',
  'ignored',
  'too-many-errors',
] as const;

/** A source position (1-based line and column). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Renders a path array as `flags[0].rules[1].segment`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Builds a diagnostic, leaving absent location fields out of the object. */
export function diagnostic(
  severity: Diagnostic['severity'],
  code: string,
  message: string,
  where: {
    file?: string | undefined;
    position?: SourcePosition | undefined;
    path?: string | undefined;
  } = {},
): Diagnostic {
  const d: Diagnostic = { severity, code, message };
  if (where.file !== undefined) d.file = where.file;
  if (where.position !== undefined) {
    d.line = where.position.line;
    d.column = where.position.column;
  }
  if (where.path !== undefined && where.path !== '') d.path = where.path;
  return d;
}

/** One line for humans: `file:line:column: path: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  let loc = d.file ?? '';
  if (d.line !== undefined) loc += `:${d.line}`;
  if (d.line !== undefined && d.column !== undefined) loc += `:${d.column}`;
  const parts = [
    loc,
    d.path ?? '',
    d.severity === 'warning' ? `warning: ${d.message}` : d.message,
  ].filter((p) => p !== '');
  return parts.join(': ');
}

/** Maps diagnostics onto the shared FieldViolation shape (for InvalidArgument errors). */
export function toFieldViolations(diagnostics: readonly Diagnostic[]): FieldViolation[] {
  return diagnostics.map((d) => {
    const v: FieldViolation = { path: d.path ?? '', message: d.message };
    if (d.file !== undefined) v.file = d.file;
    if (d.line !== undefined) v.line = d.line;
    if (d.column !== undefined) v.column = d.column;
    return v;
  });
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  let budget = 2000; // hints must stay cheap when a hostile file has thousands of errors
  for (const c of candidates) {
    if (--budget < 0) break;
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Number.MAX_SAFE_INTEGER;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
