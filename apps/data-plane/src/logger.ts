/**
 * The process logger: one JSON object per line on stdout, in pino's shape (tests and tools parse
 * it): `level` (pino's numbers), `time` (ISO), `service`, the child bindings outermost first, the
 * logged object's fields, then `msg`. Request logs carry `reqId`.
 *
 * Not pino: every organisation runs its own instance, and pino with what it loads (sonic-boom,
 * thread-stream, fast-redact, the serializers...) cost each idle instance 0.7 MB of its 56 MB
 * resident (scripts/bench/idle-instance-rss.mjs, December 2026: 34 MB over 50 instances) for
 * features the data plane does not use (transports, redaction, async buffering, formatters).
 * Writes are synchronous (`writeSync` on fd 1), so a crash or `process.exit` loses no line and
 * `flush()` has nothing to do.
 */
import { writeSync } from 'node:fs';

/** pino's level numbers. */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** A level a record is written at. */
export type LogLevel = keyof typeof LEVELS;

/** `log(msg)`, `log(fields, msg?)`, or `log(error, msg?)` (the error goes under `err`). */
export interface LogFn {
  (msg: string): void;
  (fields: object, msg?: string): void;
}

/** A logger with bindings; children add theirs after their parent's. */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** Whether records at `level` are written. */
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger that writes `bindings` on every line after this one's. */
  child(bindings: Record<string, unknown>): Logger;
  /** Kept for callers that flush before exiting: writes are already synchronous. */
  flush(): void;
}

/** Where lines go: stdout by default; tests collect them. */
export type LogSink = (line: string) => void;

/**
 * Creates the root logger at `level` (a level name or `silent`; config validates it, and an
 * unknown name throws here as pino did).
 */
export function createLogger(level: string, sink: LogSink = writeStdout): Logger {
  const min = level === 'silent' ? Infinity : LEVELS[level as LogLevel];
  if (min === undefined) throw new Error(`unknown log level "${level}"`);
  return new JsonLogger(min, sink, bindingsJson({ service: 'switchyard-data-plane' }));
}

class JsonLogger implements Logger {
  constructor(
    private readonly min: number,
    private readonly sink: LogSink,
    /** The bindings, already serialised as `,"key":value...`. */
    private readonly bindings: string,
  ) {}

  // Each checks the level first, so a disabled call costs one comparison.
  trace(a: object | string, msg?: string): void {
    if (this.min <= 10) this.write(10, a, msg);
  }
  debug(a: object | string, msg?: string): void {
    if (this.min <= 20) this.write(20, a, msg);
  }
  info(a: object | string, msg?: string): void {
    if (this.min <= 30) this.write(30, a, msg);
  }
  warn(a: object | string, msg?: string): void {
    if (this.min <= 40) this.write(40, a, msg);
  }
  error(a: object | string, msg?: string): void {
    if (this.min <= 50) this.write(50, a, msg);
  }
  fatal(a: object | string, msg?: string): void {
    if (this.min <= 60) this.write(60, a, msg);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.min <= LEVELS[level];
  }

  child(bindings: Record<string, unknown>): Logger {
    return new JsonLogger(this.min, this.sink, this.bindings + bindingsJson(bindings));
  }

  flush(): void {}

  private write(level: number, a: object | string, msg: string | undefined): void {
    let fields: Record<string, unknown> | undefined;
    if (typeof a === 'string') msg = a;
    else if (a instanceof Error) {
      fields = { err: a };
      msg ??= a.message;
    } else {
      fields = a as Record<string, unknown>;
      // As pino: a logged `err` gives the message when there is none.
      if (msg === undefined && fields.msg === undefined && isErrorLike(fields.err))
        msg = fields.err.message;
    }
    let line = `{"level":${level},"time":"${new Date().toISOString()}"${this.bindings}`;
    if (fields) line += bindingsJson(fields);
    if (msg !== undefined) line += `,"msg":${JSON.stringify(String(msg))}`;
    this.sink(`${line}}\n`);
  }
}

/** `,"key":value` for each own field, skipping what JSON drops (undefined, functions). */
function bindingsJson(fields: Record<string, unknown>): string {
  let out = '';
  for (const key of Object.keys(fields)) {
    const value = key === 'err' ? serializeError(fields.err) : fields[key];
    const json = safeJson(value);
    if (json !== undefined) out += `,${JSON.stringify(key)}:${json}`;
  }
  return out;
}

/** JSON.stringify that never throws: cycles become "[Circular]", BigInts strings. */
function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    const ancestors: unknown[] = [];
    try {
      return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
        if (typeof v === 'bigint') return v.toString();
        if (typeof v !== 'object' || v === null) return v;
        // `this` is the object holding `v`: drop the ancestors that are not on its path.
        while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
        if (ancestors.includes(v)) return '[Circular]';
        ancestors.push(v);
        return v;
      });
    } catch {
      return '"[unserialisable]"'; // a throwing toJSON or getter
    }
  }
}

/** What pino treats as an error: anything with a string `message`. */
interface ErrorLike {
  message: string;
  [key: string]: unknown;
}

function isErrorLike(e: unknown): e is ErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as ErrorLike).message === 'string';
}

/**
 * pino's standard `err` serializer: type, message and stack (each followed by its causes'), then
 * the error's other enumerable properties (`code`...). Anything not error-like passes unchanged.
 */
function serializeError(e: unknown, seen = new Set<unknown>()): unknown {
  if (!isErrorLike(e)) return e;
  seen.add(e);
  const out: Record<string, unknown> = {
    type: typeof e.constructor === 'function' ? e.constructor.name : e.name,
    message: withCauses(e, (x) => x.message, ': '),
    stack: withCauses(e, (x) => (typeof x.stack === 'string' ? x.stack : ''), '\ncaused by: '),
  };
  if (Array.isArray(e.errors)) out.aggregateErrors = e.errors.map((x) => serializeError(x, seen));
  for (const key in e) {
    if (out[key] !== undefined) continue;
    const value = e[key];
    if (!isErrorLike(value)) out[key] = value;
    // Causes are already in the message and stack; a cycle back to a serialised error stops.
    else if (key !== 'cause' && !seen.has(value)) out[key] = serializeError(value, seen);
  }
  return out;
}

/** `part` of `e` and of each error in its `cause` chain, joined with `sep`. */
function withCauses(e: ErrorLike, part: (x: ErrorLike) => string, sep: string): string {
  const chain = new Set<ErrorLike>();
  let text = part(e);
  for (let x = e; isErrorLike(x.cause); x = x.cause) {
    if (chain.has(x)) break;
    chain.add(x);
    text += sep + part(x.cause);
  }
  return text;
}

let sleeper: Int32Array | undefined;

/** Writes `line` to stdout whole, waiting out EAGAIN on a non-blocking pipe as sonic-boom does. */
function writeStdout(line: string): void {
  const buf = Buffer.from(line);
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      // Any other failure (stdout closed) has nowhere to be reported: drop the line.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      sleeper ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}
