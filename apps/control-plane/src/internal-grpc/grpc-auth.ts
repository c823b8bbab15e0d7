/**
 * Authentication of internal gRPC calls: instances present their id and secret (only the hash is
 * stored); the edge presents the edge token. Both compared in constant time.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { Database } from '@switchyard/db';
import { errors } from '@switchyard/flags';
import { safeEqual, sha256 } from '../common/crypto.js';
import { CONFIG, DB } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { edgeToken } from '../instances/instance-credentials.js';

function bearer(md: Metadata): string {
  const v = md.get('authorization')[0];
  const text = typeof v === 'string' ? v : '';
  return text.startsWith('Bearer ') ? text.slice(7) : '';
}

/** Checks instance and edge credentials. */
@Injectable()
export class GrpcAuth {
  readonly #edgeToken: string;

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(CONFIG) config: AppConfig,
  ) {
    this.#edgeToken = edgeToken(config.secret, config.provisioning.edgeToken);
  }

  /** The calling instance (id and organisation); Unauthenticated without valid credentials. */
  async instance(md: Metadata): Promise<{ id: string; orgId: string }> {
    const id = md.get('x-switchyard-instance-id')[0];
    const secret = bearer(md);
    if (typeof id !== 'string' || !id || !secret)
      throw errors.unauthenticated('instance credentials required');
    const row = await this.db.instance.findUnique({
      where: { id },
      select: { id: true, orgId: true, secretHash: true, status: true },
    });
    if (!row?.secretHash || !safeEqual(row.secretHash, sha256(secret)))
      throw errors.unauthenticated('invalid instance credentials');
    return { id: row.id, orgId: row.orgId };
  }

  /** Throws Unauthenticated unless the metadata carries the edge token. */
  edge(md: Metadata): void {
    if (!safeEqual(bearer(md), this.#edgeToken))
      throw errors.unauthenticated('invalid edge credentials');
  }
}
