/**
 * YAML (and JSON, parsed with yaml's JSON schema) into plain values with source positions.
 * Hostile-input order: a linear pre-scan bounds nesting, then documents are counted and nesting
 * measured on the CST (the yaml Parser is iterative) before nodes are composed (the Composer
 * recurses); yaml's `maxAliasCount` stops alias bombs before they expand; prototype keys, which
 * yaml defines as own properties (never through the prototype chain), are then refused.
 * Source positions are only computed when a diagnostic asks for one.
 */
import { Composer, Parser, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { CST, Node, ParsedNode } from 'yaml';
import { diagnostic, formatPath, type Diagnostic } from './diagnostics.js';
import type { LoadLimits } from './limits.js';
import { fastYamlValue } from './fast-yaml.js';
import { prescanDepth } from './prescan.js';
import { locatorFor, pathKey, positionAt, type Locator } from './source-map.js';
import { FORBIDDEN_KEYS, STRING_FIELDS } from './yaml-keys.js';

export { FORBIDDEN_KEYS } from './yaml-keys.js';

/** One document of a file, as a plain value with a locator for its fields. */
export interface RawDocument {
  index: number;
  value: unknown;
  locate: Locator;
}

/** Context shared by the YAML and JSON readers of one file. */
export interface ParseContext {
  file: string;
  limits: LoadLimits;
  /** Line starts of the whole file. */
  starts: readonly number[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Always use the full parser (the fast path is compared against it in tests). */
  exact?: boolean | undefined;
}

/** Parses `text` (starting at `base` in the file) as a YAML stream of the given schema. */
export function parseYamlStream(
  text: string,
  base: number,
  schema: 'core' | 'json',
  ctx: ParseContext,
  firstIndex = 0,
): RawDocument[] {
  if (schema === 'core' && ctx.exact !== true && ctx.limits.maxDocumentsPerFile >= 1) {
    // Clean documents skip the position-tracking parser; it runs later only to place a diagnostic.
    const value = fastYamlValue(text, ctx.limits.maxDepth);
    if (value !== undefined)
      return [{ index: firstIndex, value, locate: lazyLocator(text, base, ctx, 'core') }];
  }
  const deep = schema === 'core' ? prescanDepth(text, ctx.limits.maxDepth) : -1;
  if (deep >= 0) {
    ctx.errors.push(
      limitError(
        ctx,
        'too-deep',
        `nesting deeper than ${ctx.limits.maxDepth} levels (flatten the document)`,
        base + deep,
      ),
    );
    return [];
  }
  const tokens: CST.Token[] = [];
  let documents = 0;
  for (const token of new Parser().parse(text)) {
    if (token.type === 'document' && ++documents > ctx.limits.maxDocumentsPerFile) {
      ctx.errors.push(
        limitError(
          ctx,
          'too-many-documents',
          `more than ${ctx.limits.maxDocumentsPerFile} documents in one file (split the file or raise maxDocumentsPerFile)`,
          base + token.offset,
        ),
      );
      return [];
    }
    if (token.type === 'document' && !depthWithin(token, ctx.limits.maxDepth)) {
      ctx.errors.push(
        limitError(
          ctx,
          'too-deep',
          `nesting deeper than ${ctx.limits.maxDepth} levels (flatten the document)`,
          base + token.offset,
        ),
      );
      return [];
    }
    tokens.push(token);
  }
  // yaml's own uniqueKeys check is quadratic in map size (a hostile 10 MiB map would take hours);
  // duplicates are found with a Set instead (duplicateKeyOffsets).
  const composer = new Composer({ version: '1.2', schema, uniqueKeys: false, strict: true });
  const out: RawDocument[] = [];
  let index = firstIndex;
  for (const doc of composer.compose(tokens, false, text.length)) {
    const docIndex = index++;
    if (doc.errors.length > 0) {
      for (const e of doc.errors)
        ctx.errors.push(syntaxDiagnostic(ctx, e.message, base + e.pos[0]));
      continue;
    }
    const duplicates = doc.contents ? duplicateKeyOffsets(doc.contents) : [];
    for (const offset of duplicates)
      ctx.errors.push(syntaxDiagnostic(ctx, 'Map keys must be unique', base + offset));
    if (duplicates.length > 0) continue;
    for (const w of doc.warnings)
      ctx.warnings.push(
        diagnostic('warning', 'syntax', w.message, {
          file: ctx.file,
          position: positionAt(ctx.starts, base + w.pos[0]),
        }),
      );
    const raw = toRawDocument(doc.contents, docIndex, base, ctx, (opts) => doc.toJS(opts));
    if (raw !== undefined) out.push(raw);
  }
  return out;
}

function toRawDocument(
  contents: ParsedNode | null,
  index: number,
  base: number,
  ctx: ParseContext,
  toJS: (opts: { maxAliasCount: number }) => unknown,
): RawDocument | undefined {
  if (contents === null || (isScalar(contents) && contents.value === null)) return undefined;
  keepScalarText(contents, undefined, false, false);
  let value: unknown;
  try {
    // yaml defines `__proto__`/`constructor` keys as own properties, so building is safe;
    // such keys are still refused below.
    value = toJS({ maxAliasCount: ctx.limits.maxAliasCount });
  } catch (e) {
    const bomb = e instanceof ReferenceError && /excessive alias count/iu.test(e.message);
    const message = bomb
      ? `aliases expand more than ${ctx.limits.maxAliasCount} times (a YAML alias bomb?; use fewer aliases or raise maxAliasCount)`
      : `${(e as Error).message} (fix the YAML syntax)`;
    ctx.errors.push(
      limitError(ctx, bomb ? 'too-many-aliases' : 'syntax', message, contents.range[0] + base),
    );
    return undefined;
  }
  // Aliases may point at an ancestor (a cycle) or multiply depth; measure the built value too.
  if (!valueDepthWithin(value, ctx.limits.maxDepth)) {
    ctx.errors.push(
      limitError(
        ctx,
        'too-deep',
        `nesting deeper than ${ctx.limits.maxDepth} levels once aliases are expanded (flatten the document)`,
        contents.range[0] + base,
      ),
    );
    return undefined;
  }
  const locate = nodeLocator(contents, base, ctx.starts);
  return rejectForbiddenKeys(value, locate, ctx) ? undefined : { index, value, locate };
}

/** Reports keys that could reach a prototype; true when there were any. */
export function rejectForbiddenKeys(value: unknown, locate: Locator, ctx: ParseContext): boolean {
  const found = forbiddenKeyPaths(value);
  for (const path of found) {
    const key = String(path[path.length - 1]);
    ctx.errors.push(
      diagnostic(
        'error',
        'forbidden-key',
        `key "${key}" is not allowed (it could alter object prototypes; rename the key)`,
        { file: ctx.file, position: locate(path, true), path: formatPath(path) },
      ),
    );
  }
  return found.length > 0;
}

interface PathLink {
  parent: PathLink | undefined;
  key: PropertyKey;
}

function materialise(link: PathLink | undefined): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (let l = link; l !== undefined; l = l.parent) out.push(l.key);
  return out.reverse();
}

/** Paths of every object key that could reach a prototype (iterative; depth is already bounded). */
function forbiddenKeyPaths(root: unknown): PropertyKey[][] {
  const found: PropertyKey[][] = [];
  const stack: Array<[unknown, PathLink | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [value, link] = stack.pop() as [unknown, PathLink | undefined];
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      const at: PathLink = { parent: link, key: Array.isArray(value) ? Number(key) : key };
      if (FORBIDDEN_KEYS.has(key)) found.push(materialise(at));
      else if (child !== null && typeof child === 'object') stack.push([child, at]);
    }
  }
  return found.sort((a, b) => formatPath(a).localeCompare(formatPath(b)));
}

/** A locator over composed nodes; the path → offset table is built on first use. */
function nodeLocator(contents: Node, base: number, starts: readonly number[]): Locator {
  let real: Locator | undefined;
  return (path, key) => {
    if (real === undefined) {
      const offsets = new Map<string, number>();
      indexNodes(contents, [], base, offsets);
      real = locatorFor(offsets, starts);
    }
    return real(path, key);
  };
}

/**
 * A locator for a value read by JSON.parse or the fast YAML path, built on first use: both are
 * ~20x faster than composing YAML nodes, and positions are only needed when there is something
 * to report.
 */
export function lazyLocator(
  slice: string,
  base: number,
  ctx: ParseContext,
  schema: 'core' | 'json' = 'json',
): Locator {
  let real: Locator | undefined;
  return (path, key) => {
    if (real === undefined) {
      const doc = [
        ...new Composer({ version: '1.2', schema, uniqueKeys: false }).compose(
          new Parser().parse(slice),
        ),
      ][0];
      real = doc?.contents ? nodeLocator(doc.contents, base, ctx.starts) : () => undefined;
    }
    return real(path, key);
  };
}

/**
 * Keeps the written text of numbers and booleans in string fields (`version: 1.0` is "1.0"),
 * outside free-form attachments and metadata. Recursion is bounded by the CST depth check.
 */
function keepScalarText(
  node: Node | null,
  field: string | undefined,
  listItem: boolean,
  free: boolean,
): void {
  if (node === null || free) return;
  if (isScalar(node)) {
    const stringy =
      field !== undefined &&
      STRING_FIELDS.has(field) &&
      (!listItem || field === 'keys' || field === 'segment');
    if (
      stringy &&
      (typeof node.value === 'number' || typeof node.value === 'boolean') &&
      node.source !== undefined
    )
      node.value = node.source;
  } else if (isSeq(node)) {
    for (const item of node.items) keepScalarText(item as Node | null, field, true, false);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      keepScalarText(pair.value as Node | null, k, false, k === 'attachment' || k === 'metadata');
    }
  }
}

/** Offsets of map keys that repeat an earlier key of the same map (linear; depth is bounded). */
function duplicateKeyOffsets(node: Node | null, out: number[] = []): number[] {
  if (isSeq(node)) {
    for (const item of node.items) duplicateKeyOffsets(item as Node | null, out);
  } else if (isMap(node)) {
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (isScalar(key)) {
        const k = key.value;
        if (seen.has(k) && key.range) out.push(key.range[0]);
        seen.add(k);
      }
      duplicateKeyOffsets(pair.value as Node | null, out);
    }
  }
  return out;
}

/** Records the offset of every node and map key by path (for diagnostics only). */
function indexNodes(
  node: Node | null,
  path: PropertyKey[],
  base: number,
  offsets: Map<string, number>,
): void {
  if (node === null) return;
  if (node.range) offsets.set(pathKey(path), node.range[0] + base);
  if (isSeq(node)) {
    node.items.forEach((item, i) => indexNodes(item as Node | null, [...path, i], base, offsets));
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const at = [...path, isScalar(keyNode) ? String(keyNode.value) : String(keyNode)];
      if (keyNode?.range) offsets.set(pathKey(at, true), keyNode.range[0] + base);
      if (pair.value === null && keyNode?.range) offsets.set(pathKey(at), keyNode.range[0] + base);
      else if (!isAlias(pair.value)) indexNodes(pair.value as Node | null, at, base, offsets);
      else if ((pair.value as Node).range)
        offsets.set(
          pathKey(at),
          ((pair.value as Node).range as [number, number, number])[0] + base,
        );
    }
  }
}

/** Iterative depth check over CST tokens: nested collections, block or flow. */
function depthWithin(root: CST.Token, maxDepth: number): boolean {
  const stack: Array<[CST.Token, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token, number];
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
    } else if (
      token.type === 'block-map' ||
      token.type === 'block-seq' ||
      token.type === 'flow-collection'
    ) {
      if (depth + 1 > maxDepth) return false;
      for (const item of token.items as CST.CollectionItem[]) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return true;
}

/** Iterative depth check over a built value (catches alias cycles and alias-multiplied depth). */
export function valueDepthWithin(root: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > maxDepth) return false;
    for (const child of Object.values(value))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return true;
}

function syntaxDiagnostic(ctx: ParseContext, message: string, offset: number): Diagnostic {
  const firstLine = message.split('\n')[0] ?? message;
  const text = firstLine.replace(/ at line \d+, column \d+:?$/u, '');
  return diagnostic('error', 'syntax', `${text} (fix the YAML/JSON syntax)`, {
    file: ctx.file,
    position: positionAt(ctx.starts, offset),
  });
}

/** A limit or syntax error at an offset of the file. */
export function limitError(
  ctx: ParseContext,
  code: string,
  message: string,
  offset: number,
): Diagnostic {
  return diagnostic('error', code, message, {
    file: ctx.file,
    position: positionAt(ctx.starts, offset),
  });
}
