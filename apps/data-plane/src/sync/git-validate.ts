/**
 * Validation of git source settings, done once at configuration time, before anything reaches
 * the git CLI. Defends against argument injection (`--upload-pack=…`, `-u …`), transport
 * injection (`ext::sh -c …`, `fd::`), credentials in URLs (they would leak into logs) and ref or
 * path tricks (`..`, `.git`, NUL, backslashes). Generic messages: no echo of hostile input.
 */
import { errors, type FieldViolation } from '@switchyard/flags';
import { isPrivateHost } from './private-host.js';

/** A git source that passed validation. */
export interface ValidatedGitSource {
  url: string;
  branch: string;
  /** Slash-separated, no leading or trailing slash; '' for the repository root. */
  directory: string;
  /** True for local paths and file:// URLs (git needs `protocol.file.allow`). */
  local: boolean;
}

/** Options of {@link validateGitSource}. */
export interface GitValidationOptions {
  /** Allow local paths and file:// URLs (standalone mode); default true. */
  allowLocal?: boolean;
  /** Allow loopback/private/link-local hosts (standalone mode); default true. Turn off for tenant-supplied URLs. */
  allowPrivateHosts?: boolean;
}

const SCHEMES = new Set(['http:', 'https:', 'ssh:']);
// scp-like `user@host:path` (no scheme); git treats it as ssh.
const SCP_FORM = /^(?:[A-Za-z0-9._~-]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/u;
// Control characters (including NUL), written as a function to keep regex linting simple.
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Validates url, branch and directory; throws InvalidArgument listing every problem. */
export function validateGitSource(
  source: { url: string; branch: string; directory?: string | undefined },
  options: GitValidationOptions = {},
): ValidatedGitSource {
  const problems: FieldViolation[] = [];
  const url = checkUrl(source.url, options.allowLocal ?? true, problems);
  if (options.allowPrivateHosts === false && problems.length === 0 && !url.local && isPrivateHost(hostOf(url.value))) {
    problems.push({ path: 'url', message: 'host is not allowed (private, loopback or internal address)' });
  }
  if (!isValidBranch(source.branch)) problems.push({ path: 'branch', message: 'not a valid branch name (git check-ref-format rules)' });
  const directory = normalizeDirectory(source.directory ?? '', problems);
  if (problems.length > 0) throw errors.invalidArgument(`invalid git source: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  return { url: url.value, branch: source.branch, directory, local: url.local };
}

function checkUrl(raw: string, allowLocal: boolean, problems: FieldViolation[]): { value: string; local: boolean } {
  const bad = (message: string) => {
    problems.push({ path: 'url', message });
    return { value: raw, local: false };
  };
  if (raw === '' || raw.trim() !== raw || hasControl(raw)) return bad('must be a non-empty URL without whitespace or control characters');
  if (raw.startsWith('-')) return bad('must not start with "-"');
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/u.test(raw)) return bad('remote helpers ("<transport>::") are not allowed');
  if (raw.startsWith('/')) return allowLocal ? { value: raw, local: true } : bad('local paths are not allowed');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//u.test(raw)) return checkSchemeUrl(raw, allowLocal, bad);
  const scp = SCP_FORM.exec(raw);
  if (scp && !scp[1]?.startsWith('-') && !scp[2]?.startsWith('-')) return { value: raw, local: false };
  return bad('must be an http(s):// or ssh:// URL, user@host:path, or an absolute local path');
}

/** The hostname git will connect to, normalised like URL.hostname (scp form included). */
function hostOf(url: string): string {
  const scp = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//u.test(url) ? undefined : SCP_FORM.exec(url);
  try {
    return new URL(scp ? `ssh://${scp[1] ?? ''}/` : url).hostname;
  } catch {
    return '';
  }
}

function checkSchemeUrl(raw: string, allowLocal: boolean, bad: (m: string) => { value: string; local: boolean }): { value: string; local: boolean } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return bad('is not a valid URL');
  }
  if (parsed.protocol === 'file:') {
    if (!allowLocal) return bad('file:// URLs are not allowed');
    return parsed.host === '' ? { value: raw, local: true } : bad('file:// URLs must not name a host');
  }
  if (!SCHEMES.has(parsed.protocol)) return bad('scheme must be http, https or ssh');
  if (parsed.hostname === '' || parsed.hostname.startsWith('-')) return bad('must name a host');
  if (parsed.password !== '' || (parsed.username !== '' && parsed.protocol !== 'ssh:')) {
    return bad('must not contain credentials (use the source credentials instead)');
  }
  return { value: raw, local: false };
}

/** `git check-ref-format refs/heads/<name>` rules, plus no leading "-". */
export function isValidBranch(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//') || hasControl(name) || /[ ~^:?*[\\]/u.test(name)) return false;
  return name.split('/').every((c) => c !== '' && !c.startsWith('.') && !c.endsWith('.lock'));
}

/** True when a repository path is safe to use as a key: relative, no `..`/`.`/`.git` segment, no NUL or `\`. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0') || hasControl(path)) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && s.toLowerCase() !== '.git');
}

function normalizeDirectory(raw: string, problems: FieldViolation[]): string {
  const trimmed = raw.replace(/^\.\/+/u, '').replace(/\/+$/u, '');
  if (trimmed === '' || trimmed === '.') return '';
  if (trimmed.startsWith('-') || !isSafeRelativePath(trimmed)) {
    problems.push({ path: 'directory', message: 'must be a relative path without "..", ".git", "\\" or a leading "-"' });
  }
  return trimmed;
}
