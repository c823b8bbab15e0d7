/**
 * gobwas/glob-style patterns compiled without separators, as Flipt v1 uses them for `.flipt.yml`:
 * `*` and `**` match any run of characters *including* `/`, `?` one character, `[abc]`, `[a-z]`,
 * `[!a]` a class, `{a,b}` alternatives (which may nest), `\x` a literal.
 */

const SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** Compiles a glob into an anchored RegExp; throws on an unterminated class or brace. */
export function compileGlob(pattern: string): RegExp {
  const state = { i: 0 };
  const body = compileSequence(pattern, state, false);
  if (state.i < pattern.length)
    throw new Error(`unexpected "${pattern[state.i] ?? ''}" at ${state.i} in glob "${pattern}"`);
  return new RegExp(`^${body}$`, 'u');
}

/** True when `path` matches `pattern` (see compileGlob). */
export function globMatch(pattern: string, path: string): boolean {
  return compileGlob(pattern).test(path);
}

function compileSequence(pattern: string, state: { i: number }, inBraces: boolean): string {
  let out = '';
  while (state.i < pattern.length) {
    const c = pattern[state.i] as string;
    if (inBraces && (c === ',' || c === '}')) return out;
    state.i++;
    if (c === '*') {
      while (pattern[state.i] === '*') state.i++;
      out += '[\\s\\S]*';
    } else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') out += compileClass(pattern, state);
    else if (c === '{') out += compileAlternatives(pattern, state);
    else if (c === '\\' && state.i < pattern.length) out += escape(pattern[state.i++] as string);
    else out += escape(c);
  }
  if (inBraces) throw new Error(`unterminated "{" in glob "${pattern}"`);
  return out;
}

function compileAlternatives(pattern: string, state: { i: number }): string {
  const alternatives: string[] = [];
  for (;;) {
    alternatives.push(compileSequence(pattern, state, true));
    const c = pattern[state.i++];
    if (c === '}') return `(?:${alternatives.join('|')})`;
    if (c !== ',') throw new Error(`unterminated "{" in glob "${pattern}"`);
  }
}

function compileClass(pattern: string, state: { i: number }): string {
  const end = pattern.indexOf(']', state.i + 1);
  if (end < 0) throw new Error(`unterminated "[" in glob "${pattern}"`);
  let inner = pattern.slice(state.i, end);
  state.i = end + 1;
  const negated = inner.startsWith('!');
  if (negated) inner = inner.slice(1);
  const escaped = inner.replace(/[\\\]^[]/g, (m) => `\\${m}`);
  return negated ? `[^${escaped}]` : `[${escaped}]`;
}

function escape(c: string): string {
  return c.replace(SPECIAL, (m) => `\\${m}`);
}
