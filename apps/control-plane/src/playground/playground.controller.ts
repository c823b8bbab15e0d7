import { Controller, Post } from '@nestjs/common';
import type { OrgContext } from '../common/request-context.js';
import { Api, OrgCtx, Permission, Valid } from '../common/route.decorators.js';
import { orgParams } from '../orgs/orgs.dto.js';
import { playgroundBody, playgroundResult, type PlaygroundBody } from './playground.dto.js';
import { PlaygroundService } from './playground.service.js';

/** Evaluate a context in several environments, with explanations. */
@Controller('api/v1/orgs/:org/playground')
export class PlaygroundController {
  constructor(private readonly playground: PlaygroundService) {}

  @Post()
  @Permission('flags:read')
  @Api({
    tag: 'flags',
    summary:
      'Evaluate one entity and context against flags in several environments at their current revisions, with an explanation of every answer (nothing is written)',
    params: orgParams,
    body: playgroundBody,
    response: playgroundResult,
  })
  evaluate(@OrgCtx() ctx: OrgContext, @Valid('body') b: PlaygroundBody) {
    return this.playground.evaluate(ctx, b);
  }
}
