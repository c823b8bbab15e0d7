/**
 * Path and ref rules for everything that reaches git as a name: branches (git check-ref-format plus
 * no leading "-"), and repository paths (relative, no `..`/`.`/`.git` segment, no NUL, control
 * characters or backslashes). Generic rules, no echo of hostile input.
 */

const hasControl = (s: string): boolean =>
  [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** True for a branch name git accepts as `refs/heads/<name>` and that cannot look like an option. */
export function isValidBranch(name: string): boolean {
  if (
    name === '' ||
    name === '@' ||
    name.length > 200 ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.')
  )
    return false;
  if (
    name.includes('..') ||
    name.includes('@{') ||
    name.includes('//') ||
    hasControl(name) ||
    /[ ~^:?*[\\]/u.test(name)
  )
    return false;
  return name.split('/').every((c) => c !== '' && !c.startsWith('.') && !c.endsWith('.lock'));
}

/** True when `path` is a safe relative repository path (file or directory). */
export function isSafeRelativePath(path: string): boolean {
  if (
    path === '' ||
    path.length > 1000 ||
    path.startsWith('/') ||
    path.startsWith('-') ||
    path.includes('\\') ||
    hasControl(path)
  )
    return false;
  return path
    .split('/')
    .every((s) => s !== '' && s !== '.' && s !== '..' && s.toLowerCase() !== '.git');
}

/** Normalises an environment directory ('' = root); undefined when unsafe. */
export function normalizeDirectory(raw: string): string | undefined {
  const trimmed = raw.replace(/^\.\/+/u, '').replace(/\/+$/u, '');
  if (trimmed === '' || trimmed === '.') return '';
  return isSafeRelativePath(trimmed) ? trimmed : undefined;
}

/** True for a full 40-hex commit id (what revisions in this API are). */
export function isCommitId(rev: string): boolean {
  return /^[0-9a-f]{40}$/u.test(rev);
}
