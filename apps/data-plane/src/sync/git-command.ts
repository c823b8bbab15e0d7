/**
 * The only place the data plane runs git. Hardened for hostile configuration and hostile remotes:
 * execFile /spawn (never a shell), no user/system config, no prompts or credential helpers, no redirects,
 * only the transports the caller allows, secrets passed through environment config (never argv,
 * which other users can read in `ps`), and a hard deadline that kills the process.
 */
import { spawn } from 'node:child_process';
import { deadlineSignal } from './deadline-signal.js';

/** Thrown when git exits non-zero, times out or is aborted; `message` never contains secrets. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    /** True when the deadline or an abort killed git. */
    readonly aborted: boolean,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/** Options of {@link runGitCommand}. */
export interface GitCommandOptions {
  /** Working directory (the bare mirror). */
  cwd: string;
  /** Extra `-c key=value` settings, passed through GIT_CONFIG_* so they stay out of argv. */
  config?: Readonly<Record<string, string>>;
  /** Bytes for stdin. */
  input?: string | Uint8Array;
  /** Aborts (kills) git; combined with the deadline. */
  signal?: AbortSignal;
  /** Kill git after this long; default 15 s. */
  timeoutMs?: number;
  /** Largest stdout accepted before git is killed. */
  maxBuffer?: number;
}

/** Transports git may use; everything else (ext::, fd::, git://) is refused by git itself. */
const BASE_CONFIG: Readonly<Record<string, string>> = {
  'protocol.allow': 'never',
  'protocol.https.allow': 'always',
  'protocol.http.allow': 'always',
  'protocol.ssh.allow': 'always',
  'http.followRedirects': 'false',
  'credential.helper': '',
  'core.askPass': '',
  'core.hooksPath': '/dev/null',
  'core.fsmonitor': 'false',
  'fetch.recurseSubmodules': 'false',
  'submodule.recurse': 'false',
  'transfer.fsckObjects': 'false',
  'gc.auto': '0',
  'maintenance.auto': 'false',
};

/** Runs `git <args>` and returns stdout as bytes. Rejects with {@link GitCommandError}. */
export function runGitCommand(args: readonly string[], options: GitCommandOptions): Promise<Buffer> {
  const env = gitEnvironment({ ...BASE_CONFIG, ...(options.config ?? {}) });
  const deadline = deadlineSignal(options.timeoutMs ?? 15_000, options.signal);
  const signal = deadline.signal;
  const maxBuffer = options.maxBuffer ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    // Own process group: git runs helpers (git-remote-http, ssh) that inherit our pipes; on a
    // deadline the whole group is killed, or a hanging helper would keep the pipes open forever.
    const child = spawn('git', [...args], { cwd: options.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let failure: string | undefined;
    const killGroup = (why: string) => {
      failure ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const onAbort = () => killGroup('timed out or aborted');
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > maxBuffer) killGroup('output too large');
      else out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => err.length < 64 && err.push(c));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
    child.on('error', (e) => failure ??= e.message);
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      deadline.dispose();
      if (failure === undefined && code === 0) return resolve(Buffer.concat(out));
      const detail = failure ?? (sanitizeGitError(Buffer.concat(err).toString('utf8')) || `exit code ${String(code)}`);
      reject(new GitCommandError(`git ${args[0] ?? ''} failed: ${detail}`, signal.aborted));
    });
  });
}

/** The process environment for git: nothing inherited except PATH and locale basics. */
function gitEnvironment(config: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
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
  };
  const entries = Object.entries(config);
  env.GIT_CONFIG_COUNT = String(entries.length);
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Keeps the first meaningful stderr line and strips anything that looks like credentials. */
export function sanitizeGitError(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? stderr.trim().split('\n')[0] ?? '';
  return line
    .replace(/\/\/[^/@\s]*@/g, '//***@')
    .replace(/(authorization:\s*)\S+(\s+\S+)?/gi, '$1***')
    .slice(0, 300);
}
