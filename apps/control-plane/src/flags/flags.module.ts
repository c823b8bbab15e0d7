import { Module } from '@nestjs/common';
import { FlagRestoreController, FlagRestoreService } from './flag-restore.js';
import { FlagWriterService } from './flag-writer.service.js';
import { FlagsController } from './flags.controller.js';
import { FlagsService } from './flags.service.js';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';

/** The flag management API: every mutation is one validated commit. */
@Module({
  controllers: [FlagsController, HistoryController, FlagRestoreController],
  providers: [FlagWriterService, FlagsService, HistoryService, FlagRestoreService],
  exports: [FlagWriterService],
})
export class FlagsModule {}
