/**
 * Maps the control plane's configuration onto the data plane's own types, and persists the last
 * configuration received so an instance restarted while the control plane is down serves the
 * same environments and the same tokens (a token revoked before the outage stays revoked).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig, TokenConfig } from '../config/instance-config.js';
import type { InstanceConfiguration__Output } from '@switchyard/contracts';

const CACHE_FILE = 'instance-config.json';

/** Environments of a remote configuration as sync sources (git only). */
export function environmentsOf(config: InstanceConfiguration__Output): EnvironmentConfig[] {
  return config.environments.flatMap((e) => {
    const git = e.git;
    if (!git?.url) return [];
    const credentials = git.credentials?.password
      ? { username: git.credentials.username || undefined, password: git.credentials.password }
      : undefined;
    return [
      {
        key: e.key,
        name: e.name,
        source: {
          type: 'git' as const,
          url: git.url,
          branch: git.branch || 'main',
          ...(git.directory ? { directory: git.directory } : {}),
          pollIntervalMs: git.pollIntervalMs > 0 ? git.pollIntervalMs : 30_000,
          ...(credentials ? { credentials } : {}),
        },
      },
    ];
  });
}

/** Tokens valid at `now` (expired ones are dropped; revoked ones never arrive). */
export function tokensOf(config: InstanceConfiguration__Output, now: number): TokenConfig[] {
  return config.tokens
    .filter(
      (t) =>
        t.environments.length > 0 && (Number(t.expiresAtMs) === 0 || Number(t.expiresAtMs) > now),
    )
    .map((t) => ({
      id: t.id,
      name: t.name || t.id,
      sha256: t.sha256,
      environments: t.environments,
      ...(t.namespaces.length > 0 ? { namespaces: t.namespaces } : {}),
    }));
}

/** The next expiry after `now` (ms since epoch), to drop that token on time. */
export function nextExpiry(config: InstanceConfiguration__Output, now: number): number | undefined {
  const future = config.tokens.map((t) => Number(t.expiresAtMs)).filter((ms) => ms > now);
  return future.length > 0 ? Math.min(...future) : undefined;
}

/** Writes the configuration atomically (tmp + rename), readable by the owner only (it holds git read credentials). */
export function saveCachedConfig(dataDir: string, config: InstanceConfiguration__Output): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, `${CACHE_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(config), { mode: 0o600 });
  renameSync(tmp, join(dataDir, CACHE_FILE));
}

/** The last configuration saved for `instanceId`, if any. */
export function loadCachedConfig(
  dataDir: string,
  instanceId: string,
): InstanceConfiguration__Output | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, CACHE_FILE), 'utf8')) as Omit<
      InstanceConfiguration__Output,
      'allowedOrigins'
    > & { allowedOrigins?: string[] };
    // A configuration cached before `allowedOrigins` existed has none.
    return parsed.instanceId === instanceId &&
      Array.isArray(parsed.environments) &&
      Array.isArray(parsed.tokens)
      ? { ...parsed, allowedOrigins: parsed.allowedOrigins ?? [] }
      : undefined;
  } catch {
    return undefined;
  }
}
