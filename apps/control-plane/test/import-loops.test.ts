/**
 * No import loops between the control plane's feature folders (the top-level folders of src/):
 * a feature may use another one only if that one does not use it back, directly or through
 * others. Loops make the Nest module graph need forwardRef, hide which feature owns a concern and
 * make a feature impossible to read on its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/**
 * Imports between folders still allowed, each with its reason. The test ignores these edges when
 * looking for loops, and fails when one of them no longer exists (remove it then).
 */
const ALLOWED: readonly { from: string; to: string; reason: string }[] = [];

/** Folder (or `(root)` for the entry files directly in src/) of a file under src/. */
function featureOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? '(root)' : parts[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.ts$/u.test(e.name) && !/\.test\.ts$/u.test(e.name) ? [path] : [];
  });
}

/** Folder → folder → the imports (file → specifier) that make the edge. */
export type FolderGraph = Map<string, Map<string, string[]>>;

/** Builds the folder graph from every relative import (static, type-only, re-export, dynamic). */
function folderGraph(): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(SRC)) {
    const from = featureOf(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = featureOf(resolve(dirname(file), fileName));
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), `${relative(SRC, file)} → ${fileName}`]);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan), each as a sorted list. */
export function loops(graph: FolderGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** A loop as readable lines: each edge inside it with the imports that make it. */
function describeLoop(graph: FolderGraph, component: readonly string[]): string {
  const lines = [`loop between ${component.join(', ')}:`];
  for (const from of component)
    for (const [to, imports] of graph.get(from) ?? [])
      if (component.includes(to)) lines.push(`  ${from} → ${to}: ${imports.join('; ')}`);
  return lines.join('\n');
}

function withoutAllowed(graph: FolderGraph): FolderGraph {
  const copy: FolderGraph = new Map([...graph].map(([k, v]) => [k, new Map(v)]));
  for (const { from, to } of ALLOWED) copy.get(from)?.delete(to);
  return copy;
}

describe('import loops between control-plane feature folders', () => {
  it('finds a loop in a graph that has one, and none in one that has none', () => {
    const edge = (pairs: [string, string][]): FolderGraph => {
      const g: FolderGraph = new Map();
      for (const [a, b] of pairs) g.set(a, new Map([...(g.get(a) ?? []), [b, [`${a}/x.ts`]]]));
      return g;
    };
    expect(
      loops(
        edge([
          ['a', 'b'],
          ['b', 'c'],
          ['c', 'a'],
          ['c', 'd'],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      loops(
        edge([
          ['a', 'b'],
          ['b', 'c'],
          ['a', 'c'],
        ]),
      ),
    ).toEqual([]);
  });

  it('sees the imports of the tree (the graph is not empty)', () => {
    const graph = folderGraph();
    expect(graph.get('flags')?.has('git-hosting')).toBe(true);
    expect(graph.get('proposals')?.has('flags')).toBe(true);
  });

  it('has no loop between folders other than the allowed edges', () => {
    const graph = folderGraph();
    const found = loops(withoutAllowed(graph)).map((c) => describeLoop(graph, c));
    expect(found, found.join('\n')).toEqual([]);
  });

  it('every allowed edge still exists (remove it from ALLOWED once the import is gone)', () => {
    const graph = folderGraph();
    const stale = ALLOWED.filter(({ from, to }) => !graph.get(from)?.has(to));
    expect(stale).toEqual([]);
  });
});
