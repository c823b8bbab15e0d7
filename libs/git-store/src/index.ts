/** Git-backed flag storage: a narrow, worktree-free API over a bare repository and its remote. */
export {
  GitExecError,
  gitProcessesStarted,
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
export {
  fetchBranch,
  pushBranch,
  testRemote,
  REMOTE_UNAVAILABLE_MESSAGE,
  type RemoteAccess,
} from './remote-mirror.js';
export {
  checkHost,
  checkTarget,
  hostRefusal,
  isAllowListed,
  isPublicAddress,
  normalizeOrigin,
  originOf,
  parseAllowedOrigins,
  systemResolver,
  targetOf,
  type AddressPolicy,
  type CheckedTarget,
  type HostResolver,
  type Target,
} from './address-policy.js';
export { formatAddress, parseIpLiteral, specialRange } from './address-ranges.js';
export {
  policyFetch,
  type PolicyFetch,
  type PolicyFetchInit,
  type PolicyFetchOptions,
} from './policy-fetch.js';
export {
  parseRemote,
  pinRemote,
  validateGitSource,
  validateRemoteOnSave,
  type ParsedRemote,
  type PinnedRemote,
  type RemotePolicy,
  type ValidatedGitSource,
} from './remote-policy.js';
export {
  ReadMirror,
  TreeBudget,
  TreeRejectedError,
  type ReadMirrorOptions,
  type TreeEntry,
} from './read-mirror.js';
export { isCommitId, isSafeRelativePath, isValidBranch, normalizeDirectory } from './path-rules.js';
