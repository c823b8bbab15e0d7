/**
 * Which organisation and environment a request is for. Two URL forms:
 *   host form `{env}.{org}.<evalDomain>` (the path is passed through unchanged);
 *   path form `/e/{org}/{env}/…` (the prefix is stripped).
 */

/** A resolved request target. */
export interface EdgeTarget {
  org: string;
  env: string;
  /** Path and query to send upstream (always starts with `/`). */
  path: string;
  /** The path prefix the edge stripped (`/e/{org}/{env}`), '' in host form. */
  prefix: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Resolves a request's target, or undefined when it names no environment. */
export function resolveTarget(
  hostHeader: string | undefined,
  url: string,
  evalDomain: string | undefined,
): EdgeTarget | undefined {
  const m = /^\/e\/([^/?#]+)\/([^/?#]+)(\/[^?#]*)?(\?.*)?$/.exec(url);
  if (m) {
    const [, org, env, rest, query] = m;
    if (!LABEL.test(org!) || !LABEL.test(env!)) return undefined;
    return {
      org: org!,
      env: env!,
      path: `${rest ?? '/'}${query ?? ''}`,
      prefix: `/e/${org}/${env}`,
    };
  }
  if (!evalDomain || !hostHeader) return undefined;
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '');
  if (!host.endsWith(`.${evalDomain}`)) return undefined;
  const labels = host.slice(0, -(evalDomain.length + 1)).split('.');
  if (labels.length !== 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  return {
    env: labels[0]!,
    org: labels[1]!,
    path: url.startsWith('/') ? url : `/${url}`,
    prefix: '',
  };
}

/**
 * Operations endpoints of an instance (readiness detail, metrics, debug). They list every
 * environment of the organisation with revisions and sync errors, so they are never served
 * through an environment URL; an SDK may see only the bare liveness answer of `/health`.
 */
const OPERATIONS_PATHS = ['/ready', '/metrics', '/debug'];

/**
 * True when `path` (path and query, as sent upstream) names an operations endpoint, however it is
 * spelled: case, percent-encoding, repeated, dot or trailing slashes do not hide it.
 */
export function isOperationsPath(path: string): boolean {
  const q = path.search(/[?#]/);
  let p = q < 0 ? path : path.slice(0, q);
  try {
    p = decodeURIComponent(p);
  } catch {
    // Undecodable: the instance refuses it anyway; check the raw form.
  }
  const segments = p
    .toLowerCase()
    .split(/[/\\]+/)
    .filter((s) => s !== '' && s !== '.');
  const normalised = `/${segments.join('/')}`;
  return OPERATIONS_PATHS.some((o) => normalised === o || normalised.startsWith(`${o}/`));
}
