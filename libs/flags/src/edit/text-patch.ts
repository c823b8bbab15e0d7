/**
 * Comment-preserving writes: turns "document A became document B" into the smallest text edits of
 * the YAML file the documents were read from. Only the nodes whose canonical value changed are
 * rewritten (a changed scalar, an added or removed map key or list item, a re-written sub-tree when
 * its shape changed); every other byte of the file (comments, key order, quoting, blank lines, other
 * documents of the stream) stays as it was. Invariant: the patched text parses to exactly the new
 * documents, which `patchFeatureText` checks; when it cannot (flow style, duplicate keys, reordered
 * lists) the document is written canonically instead, never wrongly.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, stringify } from 'yaml';
import type { Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { parseFeatureFile } from '../format/parse-file.js';
import { documentToPlain, serializeDocument } from '../format/serialize.js';
import type { Document } from '../model/schema.js';

type Plain = Record<string, unknown>;
interface TextEdit {
  start: number;
  end: number;
  text: string;
}

const YAML_OPTIONS = {
  version: '1.2',
  indent: 2,
  lineWidth: 0,
  minContentWidth: 0,
  compat: 'yaml-1.1',
} as const;

const isObject = (v: unknown): v is Plain =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isEmpty = (v: unknown) =>
  (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
const isBlock = (v: unknown) => (Array.isArray(v) || isObject(v)) && !isEmpty(v);

/** One YAML file being patched: its text and the edits collected so far. */
class Patcher {
  readonly edits: TextEdit[] = [];
  constructor(readonly text: string) {}

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** End of the last line a node occupies (after its newline); block collections end there already. */
  private endOfLines(node: Node): number {
    const end = node.range![1];
    if (end > 0 && this.text[end - 1] === '\n') return end;
    const nl = this.text.indexOf('\n', end);
    return nl < 0 ? this.text.length : nl + 1;
  }

  private isBlockNode(node: Node | null | undefined): boolean {
    return (isMap(node) || isSeq(node)) && node.flow !== true;
  }

  /** `value` as YAML lines; continuation lines get `indent` more spaces. */
  private render(value: unknown, indent: number): string {
    const text = isEmpty(value)
      ? Array.isArray(value)
        ? '[]'
        : '{}'
      : stringify(value, YAML_OPTIONS).replace(/\n$/u, '');
    return text.split('\n').join(`\n${' '.repeat(indent)}`);
  }

  /** Patches `node` from `before` to `after` in place; false when only a full rewrite of it works. */
  patch(node: Node | null | undefined, before: unknown, after: unknown): boolean {
    if (same(before, after)) return true;
    const mark = this.edits.length;
    let ok = false;
    if (isMap(node) && node.flow !== true && isObject(before) && isObject(after))
      ok = this.patchMap(node, before, after);
    else if (isSeq(node) && node.flow !== true && Array.isArray(before) && Array.isArray(after))
      ok = this.patchSeq(node, before, after);
    // A failed attempt leaves no partial edits behind: the caller rewrites the node whole.
    if (!ok) this.edits.length = mark;
    return ok;
  }

  private patchMap(node: YAMLMap, before: Plain, after: Plain): boolean {
    const pairs = node.items as Pair<Node, Node | null>[];
    const pairOf = (k: string) => pairs.find((p) => isScalar(p.key) && p.key.value === k);
    if (pairs.some((p) => !isScalar(p.key))) return false;
    const afterKeys = Object.keys(after);
    for (const [i, k] of afterKeys.entries()) {
      // A key the file leaves implicit (a default the canonical form spells out) stays implicit.
      if (k in before && same(before[k], after[k])) continue;
      const pair = pairOf(k);
      if (pair && k in before) {
        if (!this.patch(pair.value, before[k], after[k])) this.replaceValue(pair, after[k]);
      } else if (pair) this.replaceValue(pair, after[k]);
      else {
        const next = afterKeys
          .slice(i + 1)
          .map(pairOf)
          .find(Boolean);
        this.insertPair(node, k, after[k], next);
      }
    }
    for (const k of Object.keys(before)) {
      const pair = pairOf(k);
      if (!(k in after) && pair && !this.deletePair(node, pair)) return false;
    }
    return true;
  }

  /** Lists of keyed objects (flags, segments, variants) match by key; other lists by position. */
  private patchSeq(node: YAMLSeq, before: unknown[], after: unknown[]): boolean {
    const items = node.items as Node[];
    if (items.length !== before.length) return false;
    const keyOf = (v: unknown) => (isObject(v) && typeof v.key === 'string' ? v.key : undefined);
    const keyed = (l: unknown[]) =>
      l.every((v) => keyOf(v) !== undefined) && new Set(l.map(keyOf)).size === l.length;
    if (!keyed(before) || !keyed(after)) return this.patchList(items, before, after);
    const oldKeys = before.map(keyOf);
    const newKeys = after.map(keyOf);
    const kept = newKeys.filter((k) => oldKeys.includes(k));
    // A reordering is not a small edit: rewrite the list.
    if (
      !same(
        kept,
        oldKeys.filter((k) => newKeys.includes(k)),
      )
    )
      return false;
    if (kept.length === 0) return false;
    let previous: Node | undefined;
    let pending: unknown[] = [];
    for (const [i, k] of newKeys.entries()) {
      const at = oldKeys.indexOf(k);
      if (at < 0) {
        pending.push(after[i]);
        continue;
      }
      const item = items[at]!;
      if (pending.length > 0) this.insertItems(item, pending, 'before');
      pending = [];
      if (!this.patch(item, before[at], after[i])) this.replaceItem(item, after[i]);
      previous = item;
    }
    if (pending.length > 0) this.insertItems(previous!, pending, 'after');
    for (const [at, k] of oldKeys.entries())
      if (!newKeys.includes(k) && !this.deleteItem(items[at]!)) return false;
    return true;
  }

  /**
   * Lists without keys (rules, rollouts, distributions, constraints): equal items at both ends
   * stay; the items between are patched pairwise, and the surplus is inserted or deleted.
   */
  private patchList(items: Node[], before: unknown[], after: unknown[]): boolean {
    let head = 0;
    while (head < before.length && head < after.length && same(before[head], after[head])) head++;
    let tail = 0;
    while (
      tail < before.length - head &&
      tail < after.length - head &&
      same(before[before.length - 1 - tail], after[after.length - 1 - tail])
    )
      tail++;
    const oldMid = before.length - head - tail;
    const newMid = after.length - head - tail;
    const paired = Math.min(oldMid, newMid);
    for (let i = head; i < head + paired; i++)
      if (!this.patch(items[i], before[i], after[i])) this.replaceItem(items[i]!, after[i]);
    if (newMid > oldMid) {
      const extra = after.slice(head + paired, head + newMid);
      const last = head + paired - 1;
      if (last >= 0) this.insertItems(items[last]!, extra, 'after');
      else this.insertItems(items[head + paired]!, extra, 'before');
    }
    for (let i = head + paired; i < head + oldMid; i++)
      if (!this.deleteItem(items[i]!)) return false;
    return true;
  }

  /** Offset just after the `:` of a pair whose key is a plain scalar. */
  private colonAfter(pair: Pair<Node, Node | null>): number {
    return this.text.indexOf(':', pair.key.range![1]) + 1;
  }

  private replaceValue(pair: Pair<Node, Node | null>, value: unknown): void {
    const start = this.colonAfter(pair);
    const indent = this.column(pair.key.range![0]);
    const v = pair.value;
    const wholeLines = this.isBlockNode(v);
    const end = v ? (wholeLines ? this.endOfLines(v) : v.range![1]) : start;
    const body = isBlock(value)
      ? `\n${' '.repeat(indent + 2)}${this.render(value, indent + 2)}`
      : ` ${this.render(value, indent + 2)}`;
    this.edits.push({ start, end, text: wholeLines ? `${body}\n` : body });
  }

  private replaceItem(item: Node, value: unknown): void {
    const start = item.range![0];
    const indent = this.column(start);
    const wholeLines = this.isBlockNode(item);
    const end = wholeLines ? this.endOfLines(item) : item.range![1];
    const body = this.render(value, indent);
    this.edits.push({ start, end, text: wholeLines ? `${body}\n` : body });
  }

  private insertPair(map: YAMLMap, key: string, value: unknown, next: unknown): void {
    const indent = this.column(map.range![0]);
    const text = this.render({ [key]: value }, indent);
    if (next) {
      const at = (next as Pair<Node>).key.range![0];
      this.edits.push({ start: at, end: at, text: `${text}\n${' '.repeat(indent)}` });
      return;
    }
    const last = map.items[map.items.length - 1] as Pair<Node, Node | null>;
    const at = this.endOfLines(last.value ?? last.key);
    const nl = at > 0 && this.text[at - 1] === '\n' ? '' : '\n';
    this.edits.push({ start: at, end: at, text: `${nl}${' '.repeat(indent)}${text}\n` });
  }

  /** Removes a pair's lines; the first pair of a list item hands its `- ` to the next pair. */
  private deletePair(map: YAMLMap, pair: Pair<Node, Node | null>): boolean {
    const keyStart = pair.key.range![0];
    const lineStart = this.lineStart(keyStart);
    const end = this.endOfLines(pair.value ?? pair.key);
    if (this.text.slice(lineStart, keyStart).trim() === '') {
      this.edits.push({ start: lineStart, end, text: '' });
      return true;
    }
    const next = map.items[map.items.indexOf(pair) + 1] as Pair<Node> | undefined;
    if (!next) return false;
    this.edits.push({ start: keyStart, end: next.key.range![0], text: '' });
    return true;
  }

  /** Offset of the `- ` indicator of a list item, if the item is written `- value`. */
  private dashOf(item: Node): number | undefined {
    let i = item.range![0] - 1;
    while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t')) i--;
    return this.text[i] === '-' ? i : undefined;
  }

  /** Removes an item's lines with the comment lines right above it (they describe it). */
  private deleteItem(item: Node): boolean {
    const dash = this.dashOf(item);
    if (dash === undefined || this.text.slice(this.lineStart(dash), dash).trim() !== '')
      return false;
    const end = this.endOfLines(item);
    let start = this.lineStart(dash);
    const lineAbove = (at: number) => this.text.slice(this.lineStart(at - 1), at - 1);
    const indent = ' '.repeat(this.column(dash));
    while (start > 0 && lineAbove(start).startsWith(`${indent}#`))
      start = this.lineStart(start - 1);
    // One blank line separated it from the previous item: drop it when another follows anyway.
    const nextLine = this.text.slice(end, this.text.indexOf('\n', end) + 1 || undefined);
    if (start > 0 && lineAbove(start).trim() === '' && nextLine.trim() === '' && nextLine !== '')
      start = this.lineStart(start - 1);
    this.edits.push({ start, end, text: '' });
    return true;
  }

  private insertItems(anchor: Node, values: unknown[], where: 'before' | 'after') {
    const dash = this.dashOf(anchor) ?? anchor.range![0];
    const indent = this.column(dash);
    const lines = values
      .map((v) => `${' '.repeat(indent)}- ${this.render(v, indent + 2)}\n`)
      .join('');
    const at = where === 'before' ? this.lineStart(dash) : this.endOfLines(anchor);
    const nl = where === 'after' && at > 0 && this.text[at - 1] !== '\n' ? '\n' : '';
    this.edits.push({ start: at, end: at, text: `${nl}${lines}` });
  }

  /** The text with every edit applied (edits never overlap: each touches a distinct node). */
  result(): string {
    let out = this.text;
    for (const e of [...this.edits].sort((a, b) => b.start - a.start || b.end - a.end))
      out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }
}

/**
 * The YAML file `text` (whose documents are `before`) rewritten so that it holds `after`, touching
 * only what changed. Undefined when the file cannot be patched (a JSON file, a different number of
 * documents, text that does not parse); the caller then serialises the file canonically.
 */
export function patchFeatureText(
  file: string,
  text: string,
  before: readonly Document[],
  after: readonly Document[],
): string | undefined {
  if (/\.json$/iu.test(file) || before.length !== after.length || after.length === 0)
    return undefined;
  const docs = parseAllDocuments(text, { version: '1.2' });
  if (!Array.isArray(docs) || docs.length !== after.length) return undefined;
  if (docs.some((d) => d.errors.length > 0)) return undefined;
  const patcher = new Patcher(text);
  for (const [i, doc] of docs.entries()) {
    const old = documentToPlain(before[i]!);
    const next = documentToPlain(after[i]!);
    if (same(old, next)) continue;
    const contents = doc.contents;
    if (!contents || !patcher.patch(contents, old, next)) {
      // This document is rewritten whole; the other documents of the stream keep their text.
      if (!contents) return undefined;
      patcher.edits.push({
        start: contents.range[0],
        end: contents.range[1],
        text: serializeDocument(after[i]!),
      });
    }
  }
  const out = patcher.result();
  const check = parseFeatureFile(file, out);
  const parsed = check.documents.map((d) => documentToPlain(d.document));
  return check.errors.length === 0 && same(parsed, after.map(documentToPlain)) ? out : undefined;
}
