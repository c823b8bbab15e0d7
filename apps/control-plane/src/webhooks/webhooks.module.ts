import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { captureWebhookBodies } from './raw-body.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Push webhooks of external repositories. */
@Module({ controllers: [WebhooksController], providers: [WebhooksService] })
export class WebhooksModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  onModuleInit(): void {
    captureWebhookBodies(this.adapter.httpAdapter.getInstance<FastifyInstance>());
  }
}
