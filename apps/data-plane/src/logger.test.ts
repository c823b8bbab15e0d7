/**
 * The logger writes what pino wrote (tools and tests parse it): key order, level numbers, the
 * `err` serialisation, and it never throws on what JSON cannot represent.
 */
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';

const TIME = '2026-12-06T14:00:00.000Z';

function capture(level = 'trace') {
  const lines: string[] = [];
  return { lines, logger: createLogger(level, (line) => lines.push(line)) };
}

describe('createLogger', () => {
  it('writes level, time, service, child bindings, fields then msg, one line each', () => {
    vi.useFakeTimers({ now: new Date(TIME), toFake: ['Date'] });
    try {
      const { lines, logger } = capture('info');
      const child = logger.child({ instance: 'org-1' }).child({ component: 'sync' });
      child.info({ environment: 'prod', revision: 'abc' }, 'snapshot published');
      logger.warn('plain');
      expect(lines).toEqual([
        `{"level":30,"time":"${TIME}","service":"switchyard-data-plane","instance":"org-1","component":"sync","environment":"prod","revision":"abc","msg":"snapshot published"}\n`,
        `{"level":40,"time":"${TIME}","service":"switchyard-data-plane","msg":"plain"}\n`,
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('uses pino level numbers and drops records below the level', () => {
    const { lines, logger } = capture('warn');
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)
      logger[level](level);
    expect(lines.map((l) => JSON.parse(l) as { level: number; msg: string })).toMatchObject([
      { level: 40, msg: 'warn' },
      { level: 50, msg: 'error' },
      { level: 60, msg: 'fatal' },
    ]);
    const all = capture('trace');
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)
      all.logger[level](level);
    expect(all.lines.map((l) => (JSON.parse(l) as { level: number }).level)).toEqual([
      10, 20, 30, 40, 50, 60,
    ]);
  });

  it('answers isLevelEnabled from the configured level; silent writes nothing', () => {
    const { logger } = capture('info');
    expect(logger.isLevelEnabled('debug')).toBe(false);
    expect(logger.isLevelEnabled('info')).toBe(true);
    expect(logger.child({ a: 1 }).isLevelEnabled('fatal')).toBe(true);
    const silent = capture('silent');
    silent.logger.fatal('nothing');
    expect(silent.logger.isLevelEnabled('fatal')).toBe(false);
    expect(silent.lines).toEqual([]);
  });

  it('rejects an unknown level as pino did', () => {
    expect(() => createLogger('loud')).toThrow(/unknown log level "loud"/);
  });

  it('serialises an err field like pino: type, message, stack, own properties', () => {
    const { lines, logger } = capture();
    const e = Object.assign(new TypeError('boom'), { code: 'E_BOOM' });
    logger.error({ err: e, route: 'x' }, 'request failed');
    const line = lines[0]!;
    expect(line).toMatch(
      /,"err":\{"type":"TypeError","message":"boom","stack":"TypeError: boom\\n/,
    );
    expect(JSON.parse(line)).toMatchObject({
      err: { type: 'TypeError', message: 'boom', stack: e.stack, code: 'E_BOOM' },
      route: 'x',
      msg: 'request failed',
    });
  });

  it('puts an Error given first under err, and its message is the msg when none is given', () => {
    const { lines, logger } = capture();
    logger.warn(new Error('first'));
    logger.warn(new Error('second'), 'explicit');
    logger.warn({ err: new Error('third') });
    logger.warn({ err: 'not an error' });
    const parsed = lines.map((l) => JSON.parse(l) as { msg?: string; err: unknown });
    expect(parsed.map((p) => p.msg)).toEqual(['first', 'explicit', 'third', undefined]);
    expect(parsed[0]!.err).toMatchObject({ type: 'Error', message: 'first' });
    expect(parsed[3]!.err).toBe('not an error');
  });

  it('appends causes to the message and stack, as pino does', () => {
    const { lines, logger } = capture();
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    logger.warn({ err: new TypeError('fetch failed', { cause }) }, 'sync fetch failed');
    const err = (JSON.parse(lines[0]!) as { err: { message: string; stack: string } }).err;
    expect(err.message).toBe('fetch failed: connect ECONNREFUSED');
    expect(err.stack).toContain('\ncaused by: Error: connect ECONNREFUSED');
  });

  it('never throws on circular objects, BigInts or a throwing toJSON', () => {
    const { lines, logger } = capture();
    const loop: Record<string, unknown> = { name: 'loop', shared: { n: 1 } };
    loop.self = loop;
    loop.again = loop.shared;
    const errLoop = new Error('loop') as Error & { self?: unknown };
    errLoop.self = errLoop;
    logger.info(
      {
        loop,
        big: 10n,
        bad: {
          toJSON: () => {
            throw new Error('no');
          },
        },
      },
      'odd',
    );
    logger.info({ err: errLoop }, 'error loop');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      loop: { name: 'loop', self: '[Circular]', shared: { n: 1 }, again: { n: 1 } },
      big: '10',
      bad: '[unserialisable]',
      msg: 'odd',
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({ err: { message: 'loop' }, msg: 'error loop' });
  });

  it('skips undefined and function fields; flush is callable', () => {
    const { lines, logger } = capture();
    logger.info({ a: undefined, f: () => 1, n: Number.NaN }, 'm');
    logger.flush();
    expect(lines[0]).toMatch(/"service":"switchyard-data-plane","n":null,"msg":"m"\}\n$/);
  });
});
