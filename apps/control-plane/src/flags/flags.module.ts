import { Module } from '@nestjs/common';
import { FlagWriterService } from './flag-writer.service.js';
import { FlagsController } from './flags.controller.js';
import { FlagsService } from './flags.service.js';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';

/** The flag management API: every mutation is one validated commit. */
@Module({
  controllers: [FlagsController, HistoryController],
  providers: [FlagWriterService, FlagsService, HistoryService],
  exports: [FlagWriterService],
})
export class FlagsModule {}
