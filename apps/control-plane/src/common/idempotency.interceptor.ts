import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, of, throwError, type Observable } from 'rxjs';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { open, seal, sha256, type Keys } from './crypto.js';
import { IDEMPOTENT_KEY } from './route.decorators.js';
import type { AppConfig } from '../config/config.js';
import { CONFIG, DB, KEYS } from './tokens.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
// A record still without a response after this long belongs to a request that died mid-way.
const STALE_MS = 60_000;

type Begin = { replay: true; status: number; body: unknown } | { replay: false; id: string };

/** Deterministic JSON (sorted keys) so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * `Idempotency-Key` on creating POSTs. The first request claims (user, key) with a row; a retry
 * with the same request gets the stored response (encrypted at rest: it may hold a token shown
 * once); the same key with a different request is 422; a retry while the first is in flight is
 * 409. A failed request releases its key. Keys are remembered for `IDEMPOTENCY_RETENTION_HOURS`
 * (24 h by default, Stripe's window): an older record counts as absent, and the
 * `IdempotencyPurger` deletes it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(DB) private readonly db: Database,
    @Inject(KEYS) private readonly keys: Keys,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean | undefined>(IDEMPOTENT_KEY, context.getHandler()))
      return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = req.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    const userId = req.sy?.principal?.userId;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw errors.invalidArgument('invalid Idempotency-Key', [
        { path: 'headers.idempotency-key', message: '1-255 printable ASCII characters' },
      ]);
    }
    if (!userId) throw errors.unauthenticated();
    const requestHash = sha256(`${req.method} ${req.url}\n${canonical(req.body)}`);
    return from(this.begin(userId, req.sy?.org?.id ?? null, header, requestHash)).pipe(
      mergeMap((state) => {
        if (state.replay) {
          void reply.status(state.status).header('idempotent-replayed', 'true');
          return of(state.body);
        }
        return next.handle().pipe(
          mergeMap((body) =>
            from(this.finish(state.id, reply.statusCode, body)).pipe(mergeMap(() => of(body))),
          ),
          catchError((e: unknown) =>
            from(this.release(state.id)).pipe(mergeMap(() => throwError(() => e))),
          ),
        );
      }),
    );
  }

  private aad(id: string): string {
    return `idempotency|${id}`;
  }

  private async begin(
    userId: string,
    orgId: string | null,
    key: string,
    requestHash: string,
  ): Promise<Begin> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = randomUUID();
      const claimed = await this.db.idempotencyRecord.createMany({
        data: [{ id, userId, orgId, key, requestHash }],
        skipDuplicates: true,
      });
      if (claimed.count === 1) return { replay: false, id };
      const existing = await this.db.idempotencyRecord.findUnique({
        where: { userId_key: { userId, key } },
      });
      if (!existing) continue;
      if (Date.now() - existing.createdAt.getTime() > this.config.idempotency.retentionMs) {
        await this.db.idempotencyRecord.deleteMany({ where: { id: existing.id } });
        continue;
      }
      if (existing.requestHash !== requestHash) {
        throw errors.idempotencyKeyReused(
          'Idempotency-Key was already used with a different request',
          [{ path: 'headers.idempotency-key', message: 'reused with a different request' }],
        );
      }
      if (existing.statusCode !== null && existing.responseCiphertext) {
        const body: unknown = JSON.parse(
          open(this.keys.encryption, existing.responseCiphertext, this.aad(existing.id)).toString(
            'utf8',
          ),
        );
        return { replay: true, status: existing.statusCode, body };
      }
      if (Date.now() - existing.createdAt.getTime() < STALE_MS)
        throw errors.conflict('a request with this Idempotency-Key is still in progress');
      await this.db.idempotencyRecord.deleteMany({ where: { id: existing.id, statusCode: null } });
    }
    throw errors.conflict('could not claim the Idempotency-Key');
  }

  private async finish(id: string, status: number, body: unknown): Promise<void> {
    const ciphertext = seal(this.keys.encryption, JSON.stringify(body ?? null), this.aad(id));
    await this.db.idempotencyRecord.update({
      where: { id },
      data: { statusCode: status, responseCiphertext: ciphertext },
    });
  }

  private async release(id: string): Promise<void> {
    await this.db.idempotencyRecord.deleteMany({ where: { id } });
  }
}
