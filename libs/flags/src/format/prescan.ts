/**
 * A linear pre-scan of YAML text that bounds nesting from below before yaml's Parser runs: the
 * Parser is iterative but slow on pathological nesting (~1 s per 200k levels), so a 10 MiB file
 * of `[[[[…` must be refused without it. Counted: flow openers (`[`, `{`) where a flow
 * collection can start, and chains of compact block indicators (`- - - x`) on one line. Quoted
 * scalars and comments are skipped. Plain text inside block scalars (`|`) can be over-counted;
 * only a document nested beyond maxDepth that way is refused.
 */

const TOKEN_START = new Set(['', ' ', '\t', '\n', '\r', '[', '{', ',', ':', '-', '?']);

/** Offset where nesting first exceeds maxDepth, or -1. */
export function prescanDepth(text: string, maxDepth: number): number {
  let flow = 0;
  let prev = '\n';
  let lineChain = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      lineChain = 0;
      atLineStart = true;
    } else if (atLineStart && (c === '-' || c === '?') && /[ \t]/u.test(text[i + 1] ?? '')) {
      if (++lineChain > maxDepth) return i;
    } else if (c !== ' ' && c !== '\t') atLineStart = false;
    if ((c === '"' || c === "'") && TOKEN_START.has(prev)) i = skipQuoted(text, i);
    else if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) i = skipLine(text, i);
    else if ((c === '[' || c === '{') && TOKEN_START.has(prev)) {
      if (++flow > maxDepth) return i;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    prev = text[i] ?? '';
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
