import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Api, Public } from '../common/route.decorators.js';
import { GitHttpService } from './git-http.service.js';

const gitParams = z.object({
  org: z.string().max(40),
  repo: z.string().max(60).describe('`<environment key>.git`'),
});
const refsQuery = z.object({ service: z.enum(['git-upload-pack', 'git-receive-pack']) });

/**
 * Smart HTTP for hosted repositories. Declared public for the global guard because git clients
 * authenticate with Basic auth (a token as password): GitHttpAuth checks it on every request.
 */
@Controller('git/:org/:repo')
export class GitHttpController {
  constructor(private readonly git: GitHttpService) {}

  @Get('info/refs')
  @Public()
  @Api({
    tag: 'git',
    summary: 'Smart HTTP ref advertisement (Basic auth: a PAT or client token as password)',
    params: gitParams,
    query: refsQuery,
  })
  refs(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const p = req.params as { org: string; repo: string };
    return this.git.serve(req, reply, p.org, p.repo, 'info/refs');
  }

  @Post('git-upload-pack')
  @Public()
  @Api({
    tag: 'git',
    summary: 'Smart HTTP fetch (members and scoped client tokens)',
    params: gitParams,
  })
  uploadPack(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const p = req.params as { org: string; repo: string };
    return this.git.serve(req, reply, p.org, p.repo, 'git-upload-pack');
  }

  @Post('git-receive-pack')
  @Public()
  @Api({
    tag: 'git',
    summary: 'Smart HTTP push (editors and above; never on protected environments)',
    params: gitParams,
  })
  receivePack(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const p = req.params as { org: string; repo: string };
    return this.git.serve(req, reply, p.org, p.repo, 'git-receive-pack');
  }
}
