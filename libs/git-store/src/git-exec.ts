/**
 * The only place git-store runs git. Hardened for hostile configuration and remotes: spawn (never a
 * shell), no user/system config, no prompts or credential helpers, no redirects, only https/http
 * (and ssh) transports, secrets through GIT_CONFIG_* environment (never argv), and a deadline that
 * kills the whole process group.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Thrown when git exits non-zero or times out; `message` never contains secrets. */
export class GitExecError extends Error {
  /** Exit code (undefined when killed). */
  readonly exitCode: number | undefined;
  /** Raw stdout, for commands whose failure output is meaningful (merge-tree conflicts). */
  readonly stdout: Buffer;
  /** True when the deadline or the caller's abort signal killed git (not git's own failure). */
  readonly aborted: boolean;
  constructor(message: string, exitCode: number | undefined, stdout: Buffer, aborted = false) {
    super(message);
    this.name = 'GitExecError';
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.aborted = aborted;
  }
}

/** Options of {@link runGit}. */
export interface GitExecOptions {
  /** Working directory (a bare repository). */
  cwd: string;
  /** Extra `-c key=value` settings, passed as GIT_CONFIG_* so they stay out of argv. */
  config?: Readonly<Record<string, string>>;
  /** Extra environment (GIT_INDEX_FILE, GIT_AUTHOR_*). */
  env?: Readonly<Record<string, string>>;
  /** Bytes for stdin. */
  input?: string | Uint8Array;
  /** Kill git after this long; default 30 s. */
  timeoutMs?: number;
  /** Kills git (its whole process group) when aborted. */
  signal?: AbortSignal;
  /** Largest stdout accepted. */
  maxBuffer?: number;
}

/** Transports git may use: `ext::`, `fd::`, `file://` and `git://` are refused by git itself. */
export const BASE_GIT_CONFIG: Readonly<Record<string, string>> = {
  'protocol.allow': 'never',
  'protocol.https.allow': 'always',
  'protocol.http.allow': 'always',
  'protocol.ssh.allow': 'always',
  'http.followRedirects': 'false',
  'credential.helper': '',
  'core.askPass': '',
  'core.hooksPath': '/dev/null',
  'core.fsmonitor': 'false',
  'core.symlinks': 'false',
  'fetch.recurseSubmodules': 'false',
  'submodule.recurse': 'false',
  'gc.auto': '0',
  'maintenance.auto': 'false',
  'receive.denyNonFastForwards': 'true',
};

let started = 0;

/**
 * Git processes this process has started (runGit and startGit). Starting a process is the main
 * cost of a git operation here, so tests bound how many an operation starts (a flag edit: one).
 */
export function gitProcessesStarted(): number {
  return started;
}

/** Runs `git <args>` and resolves stdout; rejects with {@link GitExecError}. */
export function runGit(args: readonly string[], options: GitExecOptions): Promise<Buffer> {
  started += 1;
  const env = gitEnvironment({ ...BASE_GIT_CONFIG, ...(options.config ?? {}) }, options.env ?? {});
  const maxBuffer = options.maxBuffer ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    // Own process group: helpers (git-remote-https) inherit our pipes; a deadline kills them all.
    const child = spawn('git', [...args], {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let failure: string | undefined;
    let aborted = false;
    const kill = (why: string, byDeadline = false) => {
      aborted ||= byDeadline;
      failure ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    // A plain timer, not AbortSignal.timeout: on Node 20 the latter can lose its timer under GC
    // pressure inside AbortSignal.any, letting a hung fetch outlive its deadline.
    const timer = setTimeout(() => kill('timed out or aborted', true), options.timeoutMs ?? 30_000);
    const onAbort = () => kill('timed out or aborted', true);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBuffer) kill('output too large');
      else out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => err.length < 64 && err.push(c));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
    child.on('error', (e) => (failure ??= e.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const stdout = Buffer.concat(out);
      if (failure === undefined && code === 0) return resolve(stdout);
      const detail =
        failure ??
        (sanitizeGitError(Buffer.concat(err).toString('utf8')) || `exit code ${String(code)}`);
      reject(
        new GitExecError(
          `git ${args[0] ?? ''} failed: ${detail}`,
          code ?? undefined,
          stdout,
          aborted,
        ),
      );
    });
  });
}

/**
 * Starts a long-lived git process (`cat-file --batch-command`) with the same hardened environment
 * as {@link runGit}; the caller owns its lifetime. Not in its own process group: it has no helpers.
 */
export function startGit(
  args: readonly string[],
  options: Pick<GitExecOptions, 'cwd' | 'env' | 'config'>,
): ChildProcessWithoutNullStreams {
  const env = gitEnvironment({ ...BASE_GIT_CONFIG, ...(options.config ?? {}) }, options.env ?? {});
  started += 1;
  return spawn('git', [...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

function gitEnvironment(
  config: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    SSH_ASKPASS: '/bin/false',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o StrictHostKeyChecking=yes',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    ...extra,
  };
  const entries = Object.entries(config);
  env['GIT_CONFIG_COUNT'] = String(entries.length);
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Keeps the first meaningful stderr line and strips anything that looks like credentials. */
export function sanitizeGitError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const line =
    lines.find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? lines[0] ?? '';
  return line
    .replace(/\/\/[^/@\s]*@/g, '//***@')
    .replace(/(authorization:\s*)\S+(\s+\S+)?/gi, '$1***')
    .slice(0, 300);
}
