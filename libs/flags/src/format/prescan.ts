/**
 * A linear pre-scan of YAML text that bounds nesting from below before yaml's Parser runs: the
 * Parser is iterative but slow on pathological nesting (~1 s per 200k levels), so a 10 MiB file
 * of `[[[[…` must be refused without it. Counted: flow openers (`[`, `{`) where a flow
 * collection can start, and chains of compact block indicators (`- - - x`) on one line. Quoted
 * and plain scalars and comments are skipped. Text inside block scalars (`|`) can be
 * over-counted until the next top-level key; only nesting beyond maxDepth is refused.
 */

/** Characters after which (ignoring spaces) a flow collection may start. */
const OPENS_AFTER = new Set(['\n', '[', '{', ',', ':', '-', '?']);

interface ScanState {
  flow: number;
  /** Last non-space character on the current line (`\n` at line start). */
  last: string;
  /** Inside a block-context plain scalar: brackets and quotes are text until the line ends. */
  plain: boolean;
  chain: number;
  lineStart: boolean;
}

/** Offset where nesting first exceeds maxDepth, or -1. */
export function prescanDepth(text: string, maxDepth: number): number {
  const st: ScanState = { flow: 0, last: '\n', plain: false, chain: 0, lineStart: true };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      Object.assign(st, { last: '\n', plain: false, chain: 0, lineStart: true });
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    const next = text[i + 1] ?? '\n';
    const spaced = next === ' ' || next === '\t' || next === '\n' || next === '\r';
    if (st.lineStart && (c === '-' || c === '?') && spaced) {
      if (++st.chain > maxDepth) return i;
    } else if (st.lineStart) {
      // A plain character at column 0 starts a top-level entry: no flow collection is open in
      // valid block YAML any more. Resetting can only under-count.
      if (text[i - 1] === '\n' && !'[{]}#'.includes(c)) st.flow = 0;
      st.lineStart = false;
    }
    if (c === '#' && (st.last === '\n' || /[ \t]/u.test(text[i - 1] ?? ''))) {
      i = skipLine(text, i);
      continue;
    }
    if (st.plain) {
      if (c === ':' && spaced) Object.assign(st, { plain: false, last: ':' });
      continue;
    }
    const canOpen = OPENS_AFTER.has(st.last);
    if ((c === '"' || c === "'") && canOpen) i = skipQuoted(text, i);
    else if ((c === '[' || c === '{') && (canOpen || st.flow > 0)) {
      if (++st.flow > maxDepth) return i;
    } else if ((c === ']' || c === '}') && st.flow > 0) st.flow--;
    else if (st.flow === 0 && !OPENS_AFTER.has(c) && c !== ']' && c !== '}') st.plain = true;
    st.last = c;
  }
  return -1;
}

function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

function skipLine(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end < 0 ? text.length : end - 1;
}
