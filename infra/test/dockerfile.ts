/** A small Dockerfile reader for the tests: stages, and their instructions with continuations joined. */
import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
export interface Stage {
  /** `AS` name (lower case), or the stage's index when unnamed. */
  name: string;
  /** The image or earlier stage it starts from. */
  from: string;
  instructions: Instruction[];
}

export function dockerfileStages(path: string): Stage[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const stages: Stage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    if (/^\s*(#|$)/.test(text)) continue;
    while (text.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i]!)) continue;
      text = `${text.trimEnd().slice(0, -1)} ${lines[i]!.trim()}`;
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(text);
    if (!m) throw new Error(`${path}:${start + 1}: cannot read "${text}"`);
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+ )?(\S+)(?: AS (\S+))?$/i.exec(args);
      if (!from) throw new Error(`${path}:${start + 1}: cannot read FROM ${args}`);
      stages.push({
        name: (from[2] ?? String(stages.length)).toLowerCase(),
        from: from[1]!,
        instructions: [],
      });
    } else {
      if (stages.length === 0) throw new Error(`${path}:${start + 1}: ${keyword} before FROM`);
      stages.at(-1)!.instructions.push({ keyword, args, line: start + 1 });
    }
  }
  return stages;
}

/** The stage and the earlier stages it is built FROM, nearest first. */
export function chain(stages: readonly Stage[], name: string): Stage[] {
  const out: Stage[] = [];
  let stage = stages.find((s) => s.name === name);
  while (stage) {
    out.push(stage);
    const parent: string = stage.from.toLowerCase();
    stage = stages.find((s) => s.name === parent);
  }
  return out;
}

/** The instruction of `keyword` in effect for a stage (the last one along its FROM chain). */
export function effective(stages: readonly Stage[], name: string, keyword: string) {
  for (const stage of chain(stages, name)) {
    const found = stage.instructions.filter((i) => i.keyword === keyword).at(-1);
    if (found) return found;
  }
  return undefined;
}

/** The stages whose files end up in `name`: its FROM chain and, transitively, every COPY --from. */
export function sources(stages: readonly Stage[], name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (n: string) => {
    for (const stage of chain(stages, n)) {
      if (seen.has(stage.name)) continue;
      seen.add(stage.name);
      for (const i of stage.instructions) {
        const from = /--from=(\S+)/.exec(i.args);
        if (i.keyword === 'COPY' && from) visit(from[1]!.toLowerCase());
      }
    }
  };
  visit(name);
  return seen;
}
