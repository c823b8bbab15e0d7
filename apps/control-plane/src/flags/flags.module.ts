import { Module } from '@nestjs/common';
import { EnvironmentReader } from './environment-reader.service.js';
import { FlagCommitter } from './flag-committer.service.js';
import { FlagRestoreController, FlagRestoreService } from './flag-restore.js';
import { FlagsController } from './flags.controller.js';
import { FlagsService } from './flags.service.js';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';
import { ObjectSourceController, ObjectSourceService } from './object-source.js';

/**
 * The flag management API: every mutation is one validated commit. Exports the reader and the
 * committer to promotion and proposals; needs `PROPOSAL_BRANCHES` (provided globally by the
 * proposals feature) to resolve writes to a proposal.
 */
@Module({
  controllers: [FlagsController, HistoryController, FlagRestoreController, ObjectSourceController],
  providers: [
    EnvironmentReader,
    FlagCommitter,
    FlagsService,
    HistoryService,
    FlagRestoreService,
    ObjectSourceService,
  ],
  exports: [EnvironmentReader, FlagCommitter],
})
export class FlagsModule {}
