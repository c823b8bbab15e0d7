/**
 * One flag's or segment's text exactly as it is stored: the whole lines of its list item in the
 * feature file (from its `- ` line to its last line), so the console can show and edit the stored
 * YAML, comments included, and a save replaces exactly that range.
 */
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Node } from 'yaml';
import { lineStarts, positionAt } from '../format/source-map.js';

/** Which list an object lives in. */
export type ObjectKind = 'flags' | 'segments';

/** Where an object's text is in its file. */
export interface ObjectSource {
  /** The file (relative to the environment directory). */
  file: string;
  /** The object's lines, each with its newline. */
  text: string;
  /** Character offsets of `text` in the file: [start, end). */
  start: number;
  end: number;
  /** 1-based first and last line of `text` in the file. */
  startLine: number;
  endLine: number;
}

/**
 * Locates object `key` of `kind` in document `index` of a YAML file (the last item with that key:
 * later ones win when loading). Undefined when it is not a block-list item of its own lines (a JSON
 * file, a flow list), which the console cannot edit as text.
 */
export function objectSource(
  file: string,
  content: string,
  index: number,
  kind: ObjectKind,
  key: string,
): ObjectSource | undefined {
  if (/\.json$/iu.test(file)) return undefined;
  const docs = parseAllDocuments(content, { version: '1.2' });
  const doc = Array.isArray(docs) ? docs[index] : undefined;
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const list = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === kind)?.value;
  if (!isSeq(list) || list.flow === true) return undefined;
  const item = (list.items as Node[]).findLast(
    (n) =>
      isMap(n) &&
      n.items.some(
        (p) =>
          isScalar(p.key) &&
          p.key.value === 'key' &&
          isScalar(p.value) &&
          String(p.value.value) === key,
      ),
  );
  if (!item?.range) return undefined;
  let dash = item.range[0] - 1;
  while (dash >= 0 && content[dash] === ' ') dash--;
  const lineStart = content.lastIndexOf('\n', dash - 1) + 1;
  if (content[dash] !== '-' || content.slice(lineStart, dash).trim() !== '') return undefined;
  let end = item.range[1];
  if (content[end - 1] !== '\n') {
    const nl = content.indexOf('\n', end);
    end = nl < 0 ? content.length : nl + 1;
  }
  const starts = lineStarts(content);
  const last = positionAt(starts, Math.max(lineStart, end - 1));
  return {
    file,
    text: content.slice(lineStart, end),
    start: lineStart,
    end,
    startLine: positionAt(starts, lineStart).line,
    endLine: last.line,
  };
}
