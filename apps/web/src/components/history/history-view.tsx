'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { HistoryIcon } from 'lucide-react';
import { diffFlag, type Flag } from '@switchyard/flags';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { FieldDiffView, PatchView } from '@/components/diff';
import { can, useOrg } from '@/components/org-context';
import { ScheduledChanges } from '@/components/schedules/scheduled-changes';
import { EmptyState, ErrorState, FormError, LoadingRows, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, Label } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { useEnvironmentEvents } from '@/lib/live';
import { reviewedWrite } from './reviewed-write';

type Commit = {
  revision: string;
  parents: string[];
  author: { name: string; email: string };
  time: string;
  summary: string;
  message: string;
};

/** The environment's key facts the write pipeline needs. */
function useEnvironment(org: string, env: string) {
  return useQuery({
    queryKey: ['orgs', org, 'environments', env],
    queryFn: () =>
      unwrap(api.GET('/api/v1/orgs/{org}/environments/{env}', { params: { path: { org, env } } })),
  });
}

function FlagChanges({
  envKey,
  ns,
  flag,
  commit,
}: {
  envKey: string;
  ns: string;
  flag: string;
  commit: Commit;
}) {
  const org = useOrg();
  const at = (revision: string | undefined) =>
    revision === undefined
      ? Promise.resolve({ flag: null })
      : unwrap(
          api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}/at', {
            params: { path: { org: org.slug, env: envKey, ns, flag }, query: { revision } },
          }),
        );
  const q = useQuery({
    queryKey: ['flag-at', org.slug, envKey, ns, flag, commit.revision],
    queryFn: async () => {
      const [before, after] = await Promise.all([at(commit.parents[0]), at(commit.revision)]);
      return diffFlag(
        (before.flag ?? undefined) as Flag | undefined,
        (after.flag ?? undefined) as Flag | undefined,
      );
    },
  });
  if (q.isPending) return <LoadingRows rows={2} label="Loading the change" />;
  if (q.isError) return <ErrorState error={q.error} />;
  return <FieldDiffView changes={q.data} label={`Changes of ${flag} in ${commit.summary}`} />;
}

function CommitPatch({ envKey, commit }: { envKey: string; commit: Commit }) {
  const org = useOrg();
  const from = commit.parents[0];
  const q = useQuery({
    queryKey: ['diff', org.slug, envKey, from, commit.revision],
    enabled: from !== undefined,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/diff', {
          params: {
            path: { org: org.slug, env: envKey },
            query: { from: from!, to: commit.revision },
          },
        }),
      ),
  });
  if (from === undefined) return <p className="text-sm text-muted-foreground">First commit.</p>;
  if (q.isPending) return <LoadingRows rows={2} label="Loading the diff" />;
  if (q.isError) return <ErrorState error={q.error} />;
  return <PatchView patch={q.data.patch} label={`Diff of ${commit.summary}`} />;
}

/** Confirms, then restores one flag to its state at `commit` (through a proposal when protected). */
function RestoreButton({
  envKey,
  ns,
  flag,
  commit,
}: {
  envKey: string;
  ns: string;
  flag: string;
  commit: Commit;
}) {
  const org = useOrg();
  const router = useRouter();
  const qc = useQueryClient();
  const env = useEnvironment(org.slug, envKey);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const short = commit.revision.slice(0, 12);
  const restore = useMutation({
    mutationFn: async () => {
      const head = await unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/history', {
          params: { path: { org: org.slug, env: envKey }, query: { limit: 1 } },
        }),
      );
      return reviewedWrite(
        org.slug,
        { key: envKey, protected: env.data?.protected ?? false, revision: head.revision },
        `Restore ${ns}/${flag} to ${short}`,
        (t) =>
          unwrap(
            api.POST('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}/restore', {
              params: {
                path: { org: org.slug, env: envKey, ns, flag },
                query: t.proposal ? { proposal: t.proposal } : {},
              },
              headers: { 'if-match': t.ifMatch },
              body: { revision: commit.revision, ...(message.trim() ? { message } : {}) },
            }),
          ),
      );
    },
    onSuccess: async (r) => {
      setError(undefined);
      await qc.invalidateQueries({ queryKey: ['history', org.slug, envKey] });
      if (r.proposal) router.push(`/orgs/${org.slug}/proposals/${envKey}/${r.proposal}`);
      else setDone(r.revision);
    },
    onError: (e) => setError(describeError(e)),
  });
  return (
    <div className="flex flex-col gap-1">
      <ConfirmDialog
        trigger={
          <Button variant="outline" size="sm">
            Restore this flag to this revision
          </Button>
        }
        title={`Restore ${flag} to ${short}?`}
        description={
          <span className="flex flex-col gap-3">
            <span>
              Only{' '}
              <strong>
                {ns}/{flag}
              </strong>{' '}
              changes: it gets the state it had after “{commit.summary}”. Other flags keep their
              current values.
              {env.data?.protected &&
                ' This environment is protected: a proposal is opened for review.'}
            </span>
            <span className="flex flex-col gap-1">
              <Label htmlFor={`restore-msg-${commit.revision}`}>Commit message (optional)</Label>
              <Input
                id={`restore-msg-${commit.revision}`}
                value={message}
                placeholder={`Restore flag ${ns}/${flag} to ${short}`}
                onChange={(e) => setMessage(e.target.value)}
              />
            </span>
          </span>
        }
        confirmLabel="Restore"
        onConfirm={() =>
          restore.mutateAsync().then(
            () => undefined,
            () => undefined,
          )
        }
      />
      <FormError message={error} />
      {done && (
        <p role="status" className="text-sm text-success">
          Restored as {done.slice(0, 12)}.
        </p>
      )}
    </div>
  );
}

/** Commits of an environment (or of one flag), each with its diff, newest first. */
export function HistoryView({ envKey, ns, flag }: { envKey: string; ns?: string; flag?: string }) {
  const org = useOrg();
  const [cursor, setCursor] = useState<string>();
  const [open, setOpen] = useState<string>();
  const q = useQuery({
    queryKey: ['history', org.slug, envKey, ns, flag, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/history', {
          params: {
            path: { org: org.slug, env: envKey },
            query: {
              limit: 20,
              ...(ns ? { namespace: ns } : {}),
              ...(flag ? { flag } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
  });
  // Commits made elsewhere appear at the top as they land.
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['history', org.slug, envKey] });
  useEnvironmentEvents(org.slug, envKey, refresh, refresh);
  const title = flag ? `History of ${ns}/${flag}` : `History of ${envKey}`;
  const canWrite = can(org.role, 'EDITOR');
  return (
    <div>
      <PageHeader
        title={title}
        description={
          <>
            Every commit with its author and changes.{' '}
            <Link className="underline" href={`/orgs/${org.slug}/environments/${envKey}`}>
              Back to {envKey}
            </Link>
          </>
        }
      />
      <div className="mb-4">
        <ScheduledChanges envKey={envKey} {...(ns ? { ns } : {})} {...(flag ? { flag } : {})} />
      </div>
      {q.isPending ? (
        <LoadingRows rows={4} label="Loading history" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : q.data.commits.length === 0 ? (
        <EmptyState icon={HistoryIcon} title="No commits yet">
          Changes made in the console or pushed to git show up here.
        </EmptyState>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Commits">
          {q.data.commits.map((c) => (
            <li key={c.revision} className="rounded-xl border p-4">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="flex flex-col gap-0.5">
                  <span className="font-medium">{c.summary}</span>
                  <span className="text-sm text-muted-foreground">
                    {c.author.name} &lt;{c.author.email}&gt; ·{' '}
                    <time dateTime={c.time}>{new Date(c.time).toLocaleString()}</time> ·{' '}
                    <code>{c.revision.slice(0, 12)}</code>
                  </span>
                </div>
                <div className="flex flex-wrap items-start gap-2">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-expanded={open === c.revision}
                    onClick={() => setOpen(open === c.revision ? undefined : c.revision)}
                  >
                    {open === c.revision ? 'Hide changes' : 'Show changes'}
                  </Button>
                  {flag && ns && canWrite && (
                    <RestoreButton envKey={envKey} ns={ns} flag={flag} commit={c} />
                  )}
                </div>
              </div>
              {open === c.revision && (
                <div className="mt-3 flex flex-col gap-3">
                  {flag && ns && <FlagChanges envKey={envKey} ns={ns} flag={flag} commit={c} />}
                  <CommitPatch envKey={envKey} commit={c} />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {q.data?.next && (
        <Button className="mt-4" variant="outline" onClick={() => setCursor(q.data.next!)}>
          Older commits
        </Button>
      )}
    </div>
  );
}
