import { PassThrough } from 'node:stream';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { envParams } from '../environments/environments.dto.js';
import { environmentEventStream } from './live.dto.js';
import { LiveService, sseFrame } from './live.service.js';

/** The console's live updates of one environment (server-sent events). */
@Controller('api/v1/orgs/:org/environments/:env')
export class LiveController {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly live: LiveService,
  ) {}

  @Get('events')
  @Permission('flags:read')
  @Api({
    tag: 'flags',
    summary: "Stream of the environment's commits (server-sent events) as they happen",
    params: envParams,
    response: environmentEventStream,
    contentType: 'text/event-stream',
  })
  async events(
    @OrgCtx() ctx: OrgContext,
    @Valid('params') p: { env: string },
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const env = await this.live.environment(ctx, p.env);
    const stream = new PassThrough();
    // A frame described after the client left is dropped, not written to an ended stream.
    const write = (text: string) => {
      if (!stream.writableEnded) stream.write(text);
    };
    // Comment lines keep proxies from closing a stream that is idle between commits.
    const beat = setInterval(() => write(': heartbeat\n\n'), this.config.eventStreamHeartbeatMs);
    const stop = this.live.follow(env, write, () => stream.end());
    const done = () => {
      clearInterval(beat);
      stop();
      if (!stream.writableEnded) stream.end();
    };
    reply.raw.on('close', done);
    stream.on('close', done);
    // The first bytes go out at once: clients and proxies see the stream is open.
    write('retry: 3000\n: connected\n\n');
    // A browser reconnecting after a network loss names the last commit it saw (the frames' id).
    if (this.live.missedSince(env, lastEventId)) write(sseFrame('resync', {}));
    // no-transform: compressing proxies (Next's among them) must pass frames through unbuffered.
    await reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(stream);
  }
}
