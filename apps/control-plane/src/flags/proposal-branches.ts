import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';

/**
 * Resolves `?proposal=<id>` on a flag write to the branch the commit goes to. The flag API owns
 * this interface and the proposals feature implements it, so writing flags does not import the
 * proposals feature (which itself writes through the flag committer).
 */
export interface ProposalBranches {
  /** The branch of an open proposal; NotFound when unknown, FailedPrecondition when merged. */
  branchOf(opened: OpenedEnvironment, proposal: string): Promise<string>;
}

/** Injection token of the {@link ProposalBranches} implementation. */
export const PROPOSAL_BRANCHES = Symbol('ProposalBranches');
