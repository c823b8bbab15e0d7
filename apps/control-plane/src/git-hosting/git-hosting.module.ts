import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { RepositoriesModule } from '../repositories/repositories.module.js';
import { EnvironmentStoreService } from './environment-store.service.js';
import { GitHttpAuth } from './git-http-auth.js';
import { GitHttpController } from './git-http.controller.js';
import { GitHttpService } from './git-http.service.js';
import { PushAuditService } from './push-audit.service.js';
import { UploadPack } from './upload-pack.js';

/** Git pack requests reach the handler as the raw stream (piped to upload-pack or http-backend). */
const GIT_CONTENT_TYPES = [
  'application/x-git-upload-pack-request',
  'application/x-git-receive-pack-request',
];

/** Hosted repositories (smart HTTP) and environment storage. */
@Global()
@Module({
  imports: [RepositoriesModule],
  controllers: [GitHttpController],
  providers: [EnvironmentStoreService, GitHttpAuth, GitHttpService, PushAuditService, UploadPack],
  exports: [EnvironmentStoreService],
})
export class GitHostingModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    if (!fastify.hasContentTypeParser(GIT_CONTENT_TYPES[0]!)) {
      fastify.addContentTypeParser(GIT_CONTENT_TYPES, (_req, payload, done) => done(null, payload));
    }
  }
}
