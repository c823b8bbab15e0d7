/**
 * Temporary git repositories for tests: a bare repository (what a server serves) plus a working
 * clone to write, commit and push from. Uses the git CLI through execFile (never a shell) with the
 * user's global and system configuration switched off, so tests behave the same on every machine.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Environment for test git processes: no global/system config, no prompts, fixed identity. */
export const TEST_GIT_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Switchyard Test',
  GIT_AUTHOR_EMAIL: 'test@switchyard.invalid',
  GIT_COMMITTER_NAME: 'Switchyard Test',
  GIT_COMMITTER_EMAIL: 'test@switchyard.invalid',
};

/** Runs git with `args` in `cwd` and returns trimmed stdout. */
export async function runGit(
  cwd: string,
  args: readonly string[],
  input?: string,
): Promise<string> {
  if (input === undefined) {
    const { stdout } = await exec('git', [...args], {
      cwd,
      env: TEST_GIT_ENV,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  }
  return new Promise((resolve, reject) => {
    const child = execFile('git', [...args], { cwd, env: TEST_GIT_ENV }, (err, stdout) =>
      err ? reject(new Error(err.message)) : resolve(String(stdout).trim()),
    );
    child.stdin?.end(input);
  });
}

/** Options of {@link createGitRepo}. */
export interface GitRepoOptions {
  /** Directory that holds the bare repository (e.g. a git server's project root); a temp dir if absent. */
  projectRoot?: string;
  /** Repository name; the bare repository is `<projectRoot>/<name>.git`. */
  name?: string;
  /** Branch to create and push; default `main`. */
  branch?: string;
}

/** One file change: text or bytes to write, `null` to delete. */
export type FileChange = string | Uint8Array | null;

/** A bare repository plus a working clone. */
export interface GitRepo {
  readonly name: string;
  readonly branch: string;
  /** Absolute path of the bare repository. */
  readonly bareDir: string;
  /** Absolute path of the working clone. */
  readonly workDir: string;
  /** Writes (or deletes, with `null`) files in the working clone; paths are slash-separated. */
  write(files: Record<string, FileChange>): Promise<void>;
  /** Adds a symlink at `path` pointing to `target` (not followed by git). */
  symlink(path: string, target: string): Promise<void>;
  /** Stages everything and commits; returns the new commit SHA. */
  commit(message: string): Promise<string>;
  /** Pushes the branch to `remote` (a URL or path), the bare repository by default. */
  push(remote?: string): Promise<void>;
  /** write + commit + push in one step; returns the new commit SHA. */
  commitFiles(files: Record<string, FileChange>, message: string, remote?: string): Promise<string>;
  /** Runs any git command in the working clone. */
  git(args: readonly string[], input?: string): Promise<string>;
  /** Removes the working clone (and the bare repository when it lives in a temp dir we created). */
  cleanup(): Promise<void>;
}

/** Creates an empty bare repository and a working clone with `branch` checked out. */
export async function createGitRepo(options: GitRepoOptions = {}): Promise<GitRepo> {
  const ownRoot = options.projectRoot === undefined;
  const projectRoot = options.projectRoot ?? (await mkdtemp(join(tmpdir(), 'sy-git-root-')));
  const name = options.name ?? `repo-${Math.random().toString(36).slice(2, 10)}`;
  const branch = options.branch ?? 'main';
  const bareDir = join(projectRoot, `${name}.git`);
  const workDir = await mkdtemp(join(tmpdir(), 'sy-git-work-'));
  await mkdir(bareDir, { recursive: true });
  await runGit(bareDir, ['init', '--bare', '--quiet', `--initial-branch=${branch}`]);
  await runGit(workDir, ['init', '--quiet', `--initial-branch=${branch}`]);
  await runGit(workDir, ['config', 'core.autocrlf', 'false']);
  await runGit(workDir, ['config', 'core.symlinks', 'true']);
  const repo: GitRepo = {
    name,
    branch,
    bareDir,
    workDir,
    async write(files) {
      for (const [path, content] of Object.entries(files)) {
        const abs = join(workDir, ...path.split('/'));
        if (content === null) await rm(abs, { force: true, recursive: true });
        else {
          await mkdir(dirname(abs), { recursive: true });
          await writeFile(abs, content);
        }
      }
    },
    async symlink(path, target) {
      const abs = join(workDir, ...path.split('/'));
      await mkdir(dirname(abs), { recursive: true });
      await symlink(target, abs);
    },
    async commit(message) {
      await runGit(workDir, ['add', '--all']);
      await runGit(workDir, ['commit', '--quiet', '--allow-empty', '-m', message]);
      return runGit(workDir, ['rev-parse', 'HEAD']);
    },
    async push(remote = bareDir) {
      await runGit(workDir, [
        'push',
        '--quiet',
        '--force',
        '--',
        remote,
        `HEAD:refs/heads/${branch}`,
      ]);
    },
    async commitFiles(files, message, remote) {
      await repo.write(files);
      const sha = await repo.commit(message);
      await repo.push(remote);
      return sha;
    },
    git: (args, input) => runGit(workDir, args, input),
    async cleanup() {
      await rm(workDir, { recursive: true, force: true });
      await rm(ownRoot ? projectRoot : bareDir, { recursive: true, force: true });
    },
  };
  return repo;
}
