import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '@switchyard/flags';

const PREFIX = '/api/v1/webhooks/';
const LIMIT = 1024 * 1024;
const raw = new WeakMap<object, Buffer>();

/** Keeps the exact bytes of webhook deliveries (signatures are over the raw body), then lets JSON parsing continue. */
export function captureWebhookBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (req, _reply, payload) => {
    if (!req.url.startsWith(PREFIX)) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > LIMIT) throw errors.invalidArgument('webhook body too large');
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    raw.set(req.raw, body);
    return Readable.from([body]);
  });
}

/** The raw body captured for a webhook request (empty when none). */
export function rawBodyOf(req: FastifyRequest): Buffer {
  return raw.get(req.raw) ?? Buffer.alloc(0);
}
