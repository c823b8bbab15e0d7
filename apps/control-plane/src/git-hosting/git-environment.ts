import type { GitAccess } from './git-http-auth.js';

/**
 * The environment every git process serving a hosted repository runs with, CGI or not: no user
 * or system config (HOME points nowhere), receive-pack only for writers, no hooks (push-hooks.ts
 * swaps in the check's own), no automatic gc and no history rewrites or deletions. The
 * `GIT_CONFIG_*` indices are part of the contract: pushEnvironment (git-http.service.ts) replaces
 * value 1 (the hooks path) and appends index 5.
 */
export function servingEnvironment(access: GitAccess): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: '5',
    GIT_CONFIG_KEY_4: 'receive.denyDeletes',
    GIT_CONFIG_VALUE_4: 'true',
    GIT_CONFIG_KEY_3: 'receive.autogc',
    GIT_CONFIG_VALUE_3: 'false',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: access === 'write' ? 'true' : 'false',
    GIT_CONFIG_KEY_1: 'core.hooksPath',
    GIT_CONFIG_VALUE_1: '/dev/null',
    GIT_CONFIG_KEY_2: 'receive.denyNonFastForwards',
    GIT_CONFIG_VALUE_2: 'true',
  };
}

const PROTOCOL_HEADER = /^version=[0-9]{1,3}(?::version=[0-9]{1,3}){0,7}$/;

/**
 * The wire protocol version a `Git-Protocol` header asks for, as git itself reads `GIT_PROTOCOL`
 * (protocol.c: the highest known `version=N` wins; unknown versions are ignored): 0 when the
 * header is absent or malformed. Only `version=N` tokens joined by `:` are accepted, so nothing
 * else a client sends ever reaches git's environment.
 */
export function requestedProtocol(header: string | string[] | undefined): 0 | 1 | 2 {
  if (typeof header !== 'string' || !PROTOCOL_HEADER.test(header)) return 0;
  let version: 0 | 1 | 2 = 0;
  for (const token of header.split(':')) {
    const n = Number(token.slice('version='.length));
    if ((n === 1 || n === 2) && n > version) version = n;
  }
  return version;
}
