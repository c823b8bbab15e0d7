/**
 * The pre-receive hook of hosted repositories. git receive-pack (inside git http-backend, started
 * by GitHttpService for writers only) runs it after the pushed objects arrived in quarantine and
 * before any ref moves; exiting non-zero refuses the whole push and git deletes the quarantine,
 * so nothing refused is ever stored. Whatever it prints on stderr reaches the pusher as `remote: …`.
 *
 * Which refs a push may move (decided here, documented in README "Hosted repositories"):
 * - `refs/heads/<environment branch>`: what instances serve; checked with {@link checkTree}.
 * - `refs/heads/switchyard/proposals/<id>` of an OPEN proposal: what an approval would merge;
 *   the same check, so the flag API can keep editing it and a merge never meets a refused tree.
 * - anything else (other branches, tags, `refs/switchyard/*` proposal records): refused. Hosted
 *   repositories hold only what Switchyard serves or reviews; proposal records are the control
 *   plane's own and must not be forged by a push.
 *
 * Invoked as `node pre-receive-hook.js` with SWITCHYARD_HOOK_BRANCH and SWITCHYARD_HOOK_DIRECTORY
 * set by GitHttpService; git's quarantine variables are passed on to every git command it runs.
 */
import { formatDiagnostic, type Diagnostic } from '@switchyard/flags';
import { GitStore, ZERO_ID } from '@switchyard/git-store';
import { readProposal } from './proposal-meta.js';
import { checkTree } from './tree-check.js';

const PROPOSAL_REF = /^refs\/heads\/switchyard\/proposals\/([0-9a-f-]{36})$/u;
const QUARANTINE_VARIABLES = [
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_QUARANTINE_PATH',
];

/** One line of pre-receive input. */
export interface RefUpdate {
  old: string;
  new: string;
  ref: string;
}

/** Parses `<old> <new> <ref>` lines (pre- and post-receive input). */
export function parseRefUpdates(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p): p is [string, string, string] => p.length === 3)
    .map(([o, n, ref]) => ({ old: o, new: n, ref }));
}

/** Why `update` must be refused (lines for the pusher), or an empty list. */
export async function refusal(
  update: RefUpdate,
  target: { branch: string; directory: string },
  store: GitStore,
): Promise<string[]> {
  if (update.new === ZERO_ID) return [`${update.ref}: deleting is not allowed`];
  const proposal = PROPOSAL_REF.exec(update.ref)?.[1];
  if (update.ref !== `refs/heads/${target.branch}` && proposal === undefined)
    return [
      `${update.ref}: only the environment branch (${target.branch}) and open proposal branches (switchyard/proposals/<id>) may be pushed`,
    ];
  if (proposal !== undefined) {
    const found = await readProposal(store, proposal);
    if (!found || found.record.status !== 'open')
      return [`${update.ref}: no open proposal ${proposal}`];
  }
  const problems: Diagnostic[] = await checkTree(store, update.new, target.directory);
  if (problems.length === 0) return [];
  const where = target.directory === '' ? '' : ` (environment directory ${target.directory}/)`;
  return [
    `${update.ref} at ${update.new.slice(0, 12)}: instances would refuse this revision${where}:`,
    ...problems.slice(0, 20).map((d) => `  ${formatDiagnostic(d)}`),
    ...(problems.length > 20 ? [`  (${problems.length - 20} more)`] : []),
  ];
}

async function main(): Promise<number> {
  const branch = process.env['SWITCHYARD_HOOK_BRANCH'];
  const directory = process.env['SWITCHYARD_HOOK_DIRECTORY'] ?? '';
  if (!branch) {
    process.stderr.write('Switchyard: the push check is not configured; push refused\n');
    return 1;
  }
  const quarantine: Record<string, string> = {};
  for (const k of QUARANTINE_VARIABLES) {
    const v = process.env[k];
    if (v !== undefined) quarantine[k] = v;
  }
  // Every read sees the quarantined objects (and, through them, the repository's own).
  const store = new GitStore(process.cwd(), quarantine);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const lines: string[] = [];
  for (const update of parseRefUpdates(Buffer.concat(chunks).toString('utf8')))
    lines.push(...(await refusal(update, { branch, directory }, store)));
  if (lines.length === 0) return 0;
  process.stderr.write(`Switchyard refused the push:\n${lines.join('\n')}\n`);
  return 1;
}

// Only as the hook entry point: importing the module (tests, the service) runs nothing.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(
        `Switchyard: the push check failed (${(e as Error).message}); push refused\n`,
      );
      process.exit(1);
    },
  );
}
