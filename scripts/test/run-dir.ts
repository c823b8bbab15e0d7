/**
 * vitest global setup of the root config: every temporary file of the run goes under one
 * directory. TMPDIR is set before the test workers start, so `os.tmpdir()` in tests, and in the
 * processes they start with the inherited environment, points there. At the end the directory is
 * removed, and whatever tests left in it is named first (a test that does not clean up is a defect
 * to fix, not something to hide), as is any process still running from it, which is then killed
 * (by pid, and only processes whose command line or environment names this run's directory).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Parent pid from `/proc/<pid>/stat` (the field after the parenthesised command name). */
function parentOf(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * Pids whose command line or environment mentions `dir`, except vitest itself and its own pool
 * workers (its direct children), which may still be exiting when the teardown runs.
 */
function processesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((pid) => {
      try {
        if (parentOf(pid) === process.pid) return false;
        return (
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir) ||
          readFileSync(`/proc/${pid}/environ`, 'utf8').includes(dir)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), 'sy-test-run-'));
  process.env['TMPDIR'] = dir;
  return () => {
    const alive = processesUsing(dir).map((pid) => {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        // gone meanwhile
      }
      return { pid, cmd };
    });
    for (const { pid } of alive) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    const left = readdirSync(dir);
    if (alive.length || left.length)
      process.stderr.write(
        `test run left behind (removed now): ${[...left, ...alive.map((p) => `process ${p.pid} (${p.cmd.slice(0, 120)})`)].join(', ')}\n`,
      );
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  };
}
