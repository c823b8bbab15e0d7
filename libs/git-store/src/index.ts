/** Git-backed flag storage: a narrow, worktree-free API over a bare repository and its remote. */
export {
  GitExecError,
  runGit,
  sanitizeGitError,
  BASE_GIT_CONFIG,
  type GitExecOptions,
} from './git-exec.js';
export {
  GitStore,
  ZERO_ID,
  staleConflict,
  type Author,
  type CommitRequest,
  type FileChanges,
} from './git-store.js';
export {
  history,
  diffTrees,
  requireCommit,
  type CommitInfo,
  type DiffFile,
  type HistoryPage,
  type HistoryQuery,
  type TreeDiff,
} from './git-history.js';
export { revertCommit, revertChanges, mergeBranch, mergeTrees } from './git-merge.js';
export { fetchBranch, pushBranch, type RemoteAccess } from './remote-mirror.js';
export {
  isPrivateHost,
  pinRemote,
  systemResolver,
  validateRemoteOnSave,
  validateRemoteUrl,
  type HostResolver,
  type RemotePolicy,
} from './remote-policy.js';
export { isCommitId, isSafeRelativePath, isValidBranch, normalizeDirectory } from './path-rules.js';
