/**
 * Line diff of two texts (Myers' O(ND) algorithm) and its unified rendering, for YAML review.
 * Pure and dependency-free so the console runs the same code as the server.
 */

/** One line of a diff: kept, removed from the old text, or added in the new one. */
export interface DiffLine {
  op: 'equal' | 'delete' | 'insert';
  text: string;
  /** 1-based line in the old text (equal and delete). */
  oldLine?: number;
  /** 1-based line in the new text (equal and insert). */
  newLine?: number;
}

/** A run of changes with its surrounding context, as in `diff -u`. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  // A trailing newline ends the last line rather than starting an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every line of both texts in order, marked equal, delete or insert (a shortest edit script). */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!)
          ? v[max + k + 1]!
          : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end to recover the edit script.
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: 'equal', text: a[x - 1]!, oldLine: x, newLine: y });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) out.push({ op: 'insert', text: b[y - 1]!, newLine: y });
    else out.push({ op: 'delete', text: a[x - 1]!, oldLine: x });
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

/** Groups a line diff into hunks with `context` unchanged lines around each change. */
export function diffHunks(lines: readonly DiffLine[], context = 3): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  const changed = lines.map((l, i) => (l.op === 'equal' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return hunks;
  let start = Math.max(0, changed[0]! - context);
  let end = Math.min(lines.length, changed[0]! + context + 1);
  const flush = () => {
    const slice = lines.slice(start, end);
    const first = slice[0]!;
    const oldLines = slice.filter((l) => l.op !== 'insert').length;
    const newLines = slice.filter((l) => l.op !== 'delete').length;
    hunks.push({
      oldStart:
        oldLines === 0
          ? lineBefore(lines, start, 'oldLine')
          : (first.oldLine ?? nextLine(slice, 'oldLine')),
      oldLines,
      newStart:
        newLines === 0
          ? lineBefore(lines, start, 'newLine')
          : (first.newLine ?? nextLine(slice, 'newLine')),
      newLines,
      lines: slice,
    });
  };
  for (const i of changed.slice(1)) {
    if (i - context <= end) end = Math.min(lines.length, i + context + 1);
    else {
      flush();
      start = Math.max(0, i - context);
      end = Math.min(lines.length, i + context + 1);
    }
  }
  flush();
  return hunks;
}

function nextLine(slice: readonly DiffLine[], field: 'oldLine' | 'newLine'): number {
  return slice.find((l) => l[field] !== undefined)?.[field] ?? 0;
}

/** `diff -u` numbers an empty side by the line before it (0 at the start of the file). */
function lineBefore(
  lines: readonly DiffLine[],
  index: number,
  field: 'oldLine' | 'newLine',
): number {
  for (let i = index - 1; i >= 0; i--) {
    const n = lines[i]![field];
    if (n !== undefined) return n;
  }
  return 0;
}

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  context?: number;
  oldLabel?: string;
  newLabel?: string;
}

/** The unified diff (`diff -u`) of two texts; empty when they are equal. */
export function unifiedDiff(
  oldText: string,
  newText: string,
  options?: UnifiedDiffOptions,
): string {
  const hunks = diffHunks(diffLines(oldText, newText), options?.context ?? 3);
  if (hunks.length === 0) return '';
  const out = [`--- ${options?.oldLabel ?? 'before'}`, `+++ ${options?.newLabel ?? 'after'}`];
  for (const h of hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    for (const l of h.lines)
      out.push(`${l.op === 'equal' ? ' ' : l.op === 'delete' ? '-' : '+'}${l.text}`);
  }
  return `${out.join('\n')}\n`;
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}
