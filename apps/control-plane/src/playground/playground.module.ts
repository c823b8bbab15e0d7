import { Module } from '@nestjs/common';
import { GitHostingModule } from '../git-hosting/git-hosting.module.js';
import { PlaygroundController } from './playground.controller.js';
import { PlaygroundService } from './playground.service.js';

/** The evaluation playground: the real engine over each environment's current revision. */
@Module({
  imports: [GitHostingModule],
  controllers: [PlaygroundController],
  providers: [PlaygroundService],
})
export class PlaygroundModule {}
