/**
 * The hooks directory of hosted repositories. http-backend runs receive-pack with
 * `core.hooksPath` pointing here (and only for writers; reads keep `/dev/null`), so hooks never
 * come from a repository itself and one set applies to every hosted repository, also restored
 * ones. Generated at first use: the absolute paths of this Node binary and of the built hook.
 */
import { randomUUID } from 'node:crypto';
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors } from '@switchyard/flags';
import { parseRefUpdates, type RefUpdate } from './pre-receive-hook.js';

/** The built hook entry (the same path from src/ under tests and from dist/ in production). */
export const PRE_RECEIVE_SCRIPT = fileURLToPath(
  new URL('../../dist/git-hosting/pre-receive-hook.js', import.meta.url),
);

const SAFE_PATH = /^[A-Za-z0-9_./@+-]+$/u;

/** Writes `pre-receive` (the check) and `post-receive` (reports accepted updates) under `dir`. */
export async function installHooks(dir: string): Promise<string> {
  const hooks = join(dir, 'hooks');
  for (const p of [process.execPath, PRE_RECEIVE_SCRIPT, hooks])
    if (!SAFE_PATH.test(p)) throw errors.internal(`unsupported characters in path ${p}`);
  // Fail closed: without the built hook every push would be refused with a cryptic error.
  await access(PRE_RECEIVE_SCRIPT).catch(() => {
    throw errors.unavailable('the push check is not built (run npm run build); pushes are refused');
  });
  await mkdir(hooks, { recursive: true });
  const scripts: Record<string, string> = {
    'pre-receive': `#!/bin/sh\nexec ${process.execPath} ${PRE_RECEIVE_SCRIPT}\n`,
    // Runs after the refs moved: the exact old → new of every accepted update, for audit.
    'post-receive':
      '#!/bin/sh\n[ -n "$SWITCHYARD_PUSH_REPORT" ] && cat > "$SWITCHYARD_PUSH_REPORT"\nexit 0\n',
  };
  for (const [name, body] of Object.entries(scripts)) {
    const path = join(hooks, name);
    if ((await readFile(path, 'utf8').catch(() => '')) !== body) await writeFile(path, body);
    await chmod(path, 0o755);
  }
  return hooks;
}

/** A file the post-receive hook fills with the accepted updates of one push. */
export interface PushReport {
  path: string;
  /** The accepted updates (empty when the push was refused or moved nothing); removes the file. */
  read(): Promise<RefUpdate[]>;
}

/** A fresh report file path (transient: read and removed when the push ends). */
export function pushReport(): PushReport {
  const path = join(tmpdir(), `switchyard-push-${randomUUID()}`);
  return {
    path,
    async read() {
      const text = await readFile(path, 'utf8').catch(() => '');
      await rm(path, { force: true });
      return parseRefUpdates(text);
    },
  };
}
