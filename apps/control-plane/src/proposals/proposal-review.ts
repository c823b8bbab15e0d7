/**
 * What a reviewer needs beyond the patch: the field-level changes of a proposal (per flag and
 * segment, from libs/flags) and whether it can be merged now, with every reason it cannot.
 */
import {
  diffEnvironments,
  FlagWorkspace,
  isSwitchyardError,
  validateFiles,
  type EntityChange,
} from '@switchyard/flags';
import { mergeTrees } from '@switchyard/git-store';
import type { OpenedEnvironment } from '../git-hosting/environment-store.service.js';

/** Approvals of the current revision a proposal needs before it can be merged. */
export const REQUIRED_APPROVALS = 1;

/**
 * Field-level changes from `from` to `to` of the environment's files; undefined when either side
 * does not load (a broken push to a proposal branch): the patch still shows what changed.
 */
export async function entityChanges(
  opened: OpenedEnvironment,
  from: string,
  to: string,
): Promise<EntityChange[] | undefined> {
  try {
    const [a, b] = await Promise.all(
      [from, to].map(async (rev) =>
        FlagWorkspace.load(await opened.store.readTree(rev, opened.directory)),
      ),
    );
    return diffEnvironments(a!.environment, b!.environment);
  } catch (e) {
    if (isSwitchyardError(e)) return undefined;
    throw e;
  }
}

/** Why an open proposal at `revision` cannot be merged into the environment's head (empty: it can). */
export async function mergeBlockers(
  opened: OpenedEnvironment,
  p: { base: string; revision: string; approvals: number },
): Promise<string[]> {
  if (p.revision === p.base) return ['the proposal has no changes to merge'];
  const out: string[] = [];
  if (p.approvals < REQUIRED_APPROVALS)
    out.push(
      `needs an approval of its current revision ${p.revision.slice(0, 12)} by another member (a change withdraws earlier approvals)`,
    );
  out.push(...(await mergedProblems(opened, p.revision)));
  return out;
}

/** Conflicts with the environment's head, or validation errors of the merged environment. */
async function mergedProblems(opened: OpenedEnvironment, revision: string): Promise<string[]> {
  const head = await opened.store.head(opened.branch);
  if (head === null) return ['the environment has no commits'];
  try {
    const tree = await mergeTrees(opened.store, head, revision);
    validateFiles(await opened.store.readTree(tree, opened.directory));
    return [];
  } catch (e) {
    if (isSwitchyardError(e)) return [e.message];
    throw e;
  }
}
