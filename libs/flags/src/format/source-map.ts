/**
 * Source positions for parsed documents: a table of line starts for the whole file, and a
 * locator that maps a field path (zod issue path or validator path) to the line and column of
 * the YAML/JSON node that produced it.
 */
import type { SourcePosition } from './diagnostics.js';

/** Offsets at which each line of a text starts (line 1 starts at 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a character offset. */
export function positionAt(starts: readonly number[], offset: number): SourcePosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
}

/** Finds the position of the node at `path`, or of its nearest ancestor; `key` prefers the map key. */
export type Locator = (path: readonly PropertyKey[], key?: boolean) => SourcePosition | undefined;

/** Key of a path in the offset table; map keys get a suffix so both positions are kept. */
export function pathKey(path: readonly PropertyKey[], key = false): string {
  return path.map(String).join('\u0001') + (key ? '\u0002' : '');
}

/** Builds a locator from a path → offset table. */
export function locatorFor(
  offsets: ReadonlyMap<string, number>,
  starts: readonly number[],
): Locator {
  return (path, key = false) => {
    if (key) {
      const k = offsets.get(pathKey(path, true));
      if (k !== undefined) return positionAt(starts, k);
    }
    for (let n = path.length; n >= 0; n--) {
      const o = offsets.get(pathKey(path.slice(0, n)));
      if (o !== undefined) return positionAt(starts, o);
    }
    return undefined;
  };
}
