/**
 * The few files of a bare repository that the stores write or read without starting git: a new
 * repository's layout, HEAD, and a branch's ref (loose, then `packed-refs`).
 *
 * Why: a process start costs 5–12 ms of CPU in the process that starts it on these machines
 * (fork + exec; more the larger its memory), and creating an environment started three (`init`,
 * `update-ref`, `symbolic-ref`), every look-up of a branch that does not exist yet a fourth
 * (`rev-parse`). What is written here is what git itself writes for these cases, the same way: a
 * lock file created exclusively, then renamed into place. Anything unusual (a symbolic branch,
 * a ref git would have to resolve) is left to git: the read answers `undefined` for "ask git".
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCommitId, isValidBranch } from './path-rules.js';

/** What `git init --bare` writes that git needs (no sample hooks, description or info/exclude). */
const CONFIG = '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n';

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Creates `path` with `content` unless it exists; never leaves a half-written file there. */
async function createOnce(path: string, content: string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, content, { flag: 'wx' });
  try {
    await link(tmp, path);
  } catch (e) {
    if (errno(e) !== 'EEXIST') throw e;
  } finally {
    await unlink(tmp);
  }
}

/**
 * Creates a bare repository at `dir` (SHA-1, files mode) if it has none; idempotent, and safe
 * when several processes do it at once. HEAD is written last: its presence means "a repository".
 */
export async function initBare(dir: string): Promise<void> {
  for (const sub of [
    ['objects', 'info'],
    ['objects', 'pack'],
    ['refs', 'heads'],
    ['refs', 'tags'],
  ])
    await mkdir(join(dir, ...sub), { recursive: true });
  await createOnce(join(dir, 'config'), CONFIG);
  await createOnce(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
}

/** Points HEAD at `refs/heads/<branch>` as `git symbolic-ref` does (HEAD.lock, then rename). */
export async function writeHead(dir: string, branch: string): Promise<void> {
  if (!isValidBranch(branch)) throw new Error(`not a valid branch name: ${branch}`);
  const head = join(dir, 'HEAD');
  const want = `ref: refs/heads/${branch}\n`;
  if ((await readFile(head, 'utf8').catch(() => '')) === want) return;
  const lock = `${head}.lock`;
  // Exclusive: git holding the lock (or another writer) makes this fail, as git's own would.
  await writeFile(lock, want, { flag: 'wx' });
  try {
    await rename(lock, head);
  } catch (e) {
    await unlink(lock).catch(() => undefined);
    throw e;
  }
}

/**
 * The commit `refs/heads/<branch>` names: its loose ref file, else its line in `packed-refs`;
 * null when neither has it; undefined when git must answer (a symbolic or malformed ref).
 */
export async function readBranch(dir: string, branch: string): Promise<string | null | undefined> {
  const name = `refs/heads/${branch}`;
  let loose: string | undefined;
  try {
    loose = (await readFile(join(dir, ...name.split('/')), 'utf8')).trim();
  } catch (e) {
    // Missing, or a directory (branches below this name exist, so this one cannot).
    if (errno(e) !== 'ENOENT' && errno(e) !== 'EISDIR' && errno(e) !== 'ENOTDIR') return undefined;
  }
  if (loose !== undefined) return isCommitId(loose) ? loose : undefined;
  let packed: string;
  try {
    packed = await readFile(join(dir, 'packed-refs'), 'utf8');
  } catch (e) {
    return errno(e) === 'ENOENT' ? null : undefined;
  }
  for (const line of packed.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    if (space !== -1 && line.slice(space + 1) === name) {
      const id = line.slice(0, space);
      return isCommitId(id) ? id : undefined;
    }
  }
  return null;
}
