import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { createPrismaClient, type Database } from '@switchyard/db';
import { AppModule } from './app.module.js';
import { createLogger, NestPinoLogger } from './common/logger.js';
import type { AppConfig } from './config/config.js';
import { clientErrorHandler, frameworkErrors, installJsonParser } from './http-hardening.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a well-formed `X-Request-Id` from the caller, otherwise generates one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Options for {@link createApp}. */
export interface CreateAppOptions {
  db?: Database;
  logger?: Logger;
}

/** Builds and initialises the Nest application (not listening). Shared by `main` and the tests. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createLogger(config);
  const db = options.db ?? createPrismaClient({ databaseUrl: config.databaseUrl });
  // Only named proxies may set the client address (per-IP rate limits, logs); nobody else can spoof it.
  const trustProxy = config.trustProxy.length > 0 ? [...config.trustProxy] : false;
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: requestIdFor,
    bodyLimit: 1024 * 1024,
    trustProxy,
    clientErrorHandler,
    frameworkErrors,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, db, logger }),
    adapter,
    {
      logger: new NestPinoLogger(logger),
      abortOnError: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  await app.init();
  // After init: Nest registers its own JSON parser there; this one replaces it (depth limit).
  installJsonParser(fastify);
  return app;
}
