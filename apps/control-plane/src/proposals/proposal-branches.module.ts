import { Global, Injectable, Module } from '@nestjs/common';
import { errors } from '@switchyard/flags';
import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';
import { PROPOSAL_BRANCHES, type ProposalBranches } from '../flags/proposal-branches.js';
import { proposalBranch, readProposal } from '../git-hosting/proposal-meta.js';

/** Proposal branches as the flag committer needs them: only open proposals take commits. */
@Injectable()
export class ProposalBranchResolver implements ProposalBranches {
  async branchOf(opened: OpenedEnvironment, proposal: string): Promise<string> {
    const found = await readProposal(opened.store, proposal);
    if (!found) throw errors.notFound('proposal not found');
    if (found.record.status !== 'open')
      throw errors.failedPrecondition('the proposal is no longer open');
    return proposalBranch(proposal);
  }
}

/**
 * Provides {@link PROPOSAL_BRANCHES} to the flag API. Global, with no imports of its own, so the
 * flags module can use it without importing the proposals module (which imports the flags module).
 */
@Global()
@Module({
  providers: [{ provide: PROPOSAL_BRANCHES, useClass: ProposalBranchResolver }],
  exports: [PROPOSAL_BRANCHES],
})
export class ProposalBranchesModule {}
