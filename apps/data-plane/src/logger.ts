/** The process logger: pino JSON lines on stdout. Request logs carry `reqId`. */
import { pino, type Logger } from 'pino';

/** Creates the root logger at `level`. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'switchyard-data-plane' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
