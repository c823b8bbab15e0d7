/**
 * Source files → immutable snapshot, through the flag library's loader and compiler. A build
 * either yields a whole snapshot or a single error naming the first problem's file and line; a
 * partially valid environment is never served (the whole revision is rejected atomically).
 */
import {
  compileEnvironment,
  formatDiagnostic,
  isSwitchyardError,
  loadEnvironment,
  parseFeatureFile,
  type Diagnostic,
  type EnvironmentSnapshot,
  type FeatureFileParser,
  type ParseFileResult,
} from '@switchyard/flags';
import { gitBlobId, namespaceDigest } from './namespace-digest.js';

/** What a failed build reports (the registry's SyncError without the timestamp). */
export interface BuildFailure {
  message: string;
  /** Absent when the tree was rejected before its revision could be computed (a directory over a cap). */
  revision?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

/** Outcome of {@link buildSnapshot}. */
export type BuildResult =
  | { ok: true; snapshot: EnvironmentSnapshot; warnings: readonly Diagnostic[] }
  | { ok: false; failure: BuildFailure };

/** Most diagnostics quoted in one error message (the rest are counted). */
const MAX_QUOTED = 5;

/**
 * Parsed feature files by path and git blob id, so a commit re-parses only the files it changed
 * (parsing is most of a build). Entries live as long as the latest build uses them; the results
 * are shared between builds and never modified by the loader.
 */
export class ParsedFileCache {
  #entries = new Map<string, ParseFileResult>();
  #used = new Map<string, ParseFileResult>();
  readonly #parse: FeatureFileParser;

  /** `parse` is the parser behind the cache (tests count its calls). */
  constructor(parse: FeatureFileParser = parseFeatureFile) {
    this.#parse = parse;
  }

  /** The parser to give the loader for one build. */
  readonly parser: FeatureFileParser = (path, content, limits) => {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    // The path is part of the key: diagnostics name the file.
    const key = `${gitBlobId(bytes)}\u0000${JSON.stringify(limits)}\u0000${path}`;
    let result = this.#used.get(key) ?? this.#entries.get(key);
    if (result === undefined) result = this.#parse(path, content, limits);
    this.#used.set(key, result);
    return result;
  };

  /** Ends a build: what it did not use is dropped. */
  endBuild(): void {
    this.#entries = this.#used;
    this.#used = new Map();
  }

  /** Number of cached files. */
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Loads and compiles `files` as the environment at `revision`. Never throws for bad content.
 * With a cache, files whose bytes a previous build already parsed are not parsed again.
 */
export function buildSnapshot(
  files: ReadonlyMap<string, Uint8Array>,
  revision: string,
  cache?: ParsedFileCache,
): BuildResult {
  try {
    const loaded = loadEnvironment(files, { parseFile: cache?.parser });
    if (!loaded.ok) return { ok: false, failure: describeDiagnostics(loaded.errors, revision) };
    return {
      ok: true,
      snapshot: compileEnvironment(loaded.environment, { revision, digest: namespaceDigest }),
      warnings: loaded.warnings,
    };
  } catch (e) {
    // The compiler rejects dangling references the loader let through; anything else is a bug,
    // but still must not take down the sync loop or replace the good snapshot.
    const message = isSwitchyardError(e)
      ? e.message
      : `snapshot build crashed: ${(e as Error).message}`;
    const detail = isSwitchyardError(e) ? e.details[0] : undefined;
    return {
      ok: false,
      failure: {
        message: `commit ${short(revision)}: ${message}`,
        revision,
        file: detail?.file,
        line: detail?.line,
        column: detail?.column,
      },
    };
  } finally {
    cache?.endBuild();
  }
}

/** One failure from loader diagnostics: the first error locates it, the message lists a few. */
export function describeDiagnostics(
  diagnostics: readonly Diagnostic[],
  revision: string,
): BuildFailure {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0] ?? diagnostics[0];
  const quoted = errors.slice(0, MAX_QUOTED).map(formatDiagnostic);
  if (errors.length > MAX_QUOTED) quoted.push(`(${errors.length - MAX_QUOTED} more)`);
  return {
    message: `commit ${short(revision)}: ${quoted.join('; ') || 'invalid feature files'}`,
    revision,
    file: first?.file,
    line: first?.line,
    column: first?.column,
  };
}

function short(revision: string): string {
  return revision.slice(0, 12);
}
