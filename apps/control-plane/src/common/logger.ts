import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import type { AppConfig } from '../config/config.js';

/** The process logger; Fastify derives a per-request child carrying `reqId`. */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination: 1 | 2 = 1): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'control-plane' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: destination, sync: false }),
  );
}

/** Routes Nest's own framework messages into pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
