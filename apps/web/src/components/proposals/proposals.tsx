'use client';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { GitPullRequestIcon } from 'lucide-react';
import { useEnvironments } from '@/components/environments/environment-list';
import { ChangesTabs } from '@/components/diff';
import { FollowEnvironment } from '@/components/follow-environment';
import { can, useOrg } from '@/components/org-context';
import { useSession } from '@/components/session';
import { EmptyState, ErrorState, FormError, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Label, Textarea } from '@/components/ui/input';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { useLiveRefresh } from '@/lib/live-refresh';

/** Open and merged proposals of every environment, newest first. */
export function ProposalList() {
  const org = useOrg();
  const qc = useQueryClient();
  const envs = useEnvironments(org.slug);
  const keys = envs.data?.items.map((e) => e.key) ?? [];
  const lists = useQueries({
    queries: keys.map((env) => ({
      queryKey: ['proposals', org.slug, env],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/orgs/{org}/environments/{env}/proposals', {
            params: { path: { org: org.slug, env } },
          }),
        ).then((r) => r.items.map((p) => ({ ...p, env }))),
    })),
  });
  const failed = lists.find((l) => l.isError);
  const items = lists
    .flatMap((l) => l.data ?? [])
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <div>
      <PageHeader
        title="Proposals"
        description="Reviewed changes to protected environments: a second member requests changes or approves; once approved, it is merged."
      />
      {keys.map((env) => (
        <FollowEnvironment
          key={env}
          env={env}
          refresh={() => void qc.invalidateQueries({ queryKey: ['proposals', org.slug, env] })}
        />
      ))}
      {envs.isPending || lists.some((l) => l.isPending) ? (
        <LoadingRows rows={3} label="Loading proposals" />
      ) : envs.isError ? (
        <ErrorState error={envs.error} />
      ) : failed ? (
        <ErrorState error={failed.error} />
      ) : items.length === 0 ? (
        <EmptyState icon={GitPullRequestIcon} title="No proposals">
          Saving a change in a protected environment opens a proposal here.
        </EmptyState>
      ) : (
        <Table aria-label="Proposals">
          <TableHeader>
            <TableRow>
              <TableHead>Title</TableHead>
              <TableHead>Environment</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Opened by</TableHead>
              <TableHead>Opened</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((p) => (
              <TableRow key={p.id}>
                <TableCell>
                  <Link className="underline" href={`/orgs/${org.slug}/proposals/${p.env}/${p.id}`}>
                    {p.title}
                  </Link>
                </TableCell>
                <TableCell>{p.env}</TableCell>
                <TableCell>
                  <Badge variant={p.status === 'open' ? 'warning' : 'success'}>
                    {p.status === 'open'
                      ? p.changeRequests.length > 0
                        ? 'changes requested'
                        : p.approvals.length > 0
                          ? 'approved'
                          : 'open'
                      : 'merged'}
                  </Badge>
                </TableCell>
                <TableCell>{p.createdBy.email}</TableCell>
                <TableCell>
                  <time dateTime={p.createdAt}>{new Date(p.createdAt).toLocaleString()}</time>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

/** One proposal: its changes, reviews, approve (a second member) and merge once approved. */
export function ProposalDetail({ envKey, id }: { envKey: string; id: string }) {
  const org = useOrg();
  const me = useSession().user;
  const qc = useQueryClient();
  const [error, setError] = useState<string>();
  const [comment, setComment] = useState('');
  const key = ['proposal', org.slug, envKey, id];
  const q = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/proposals/{proposalId}', {
          params: { path: { org: org.slug, env: envKey, proposalId: id } },
        }),
      ),
  });
  const path = { org: org.slug, env: envKey, proposalId: id };
  const done = async () => {
    setError(undefined);
    await qc.invalidateQueries({ queryKey: key });
    await qc.invalidateQueries({ queryKey: ['proposals', org.slug, envKey] });
  };
  const approve = useMutation({
    mutationFn: (revision: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org}/environments/{env}/proposals/{proposalId}/approve', {
          params: { path },
          headers: { 'if-match': `"${revision}"` },
        }),
      ),
    onSuccess: done,
    onError: (e) => setError(describeError(e)),
  });
  const merge = useMutation({
    mutationFn: (revision: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org}/environments/{env}/proposals/{proposalId}/merge', {
          params: { path },
          headers: { 'if-match': `"${revision}"` },
        }),
      ),
    onSuccess: done,
    onError: (e) => setError(describeError(e)),
  });
  const requestChanges = useMutation({
    mutationFn: (revision: string) =>
      unwrap(
        api.POST('/api/v1/orgs/{org}/environments/{env}/proposals/{proposalId}/request-changes', {
          params: { path },
          headers: { 'if-match': `"${revision}"` },
          body: { comment },
        }),
      ),
    onSuccess: async () => {
      setComment('');
      await done();
    },
    onError: (e) => setError(describeError(e)),
  });
  // A commit to the environment (this proposal merged, or another change that may conflict with
  // it) refreshes the page; a comment being written is kept, and the notice warns.
  useLiveRefresh(org.slug, envKey, {
    ownRevision: merge.data?.revision,
    dirty: comment.trim() !== '',
    refresh: () => void qc.invalidateQueries({ queryKey: key }),
  });
  if (q.isPending) return <LoadingRows rows={4} label="Loading the proposal" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
  const p = q.data;
  const editor = p.status === 'open' && can(org.role, 'EDITOR');
  const mine = p.createdBy.userId === me.id;
  const approvedByMe = p.approvals.some((a) => a.userId === me.id);
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title={p.title}
        description={
          <>
            Proposal to <strong>{envKey}</strong> by {p.createdBy.email} ·{' '}
            <Link className="underline" href={`/orgs/${org.slug}/proposals`}>
              All proposals
            </Link>
          </>
        }
        actions={
          editor && (
            <div className="flex gap-2">
              {!mine && (
                <Button
                  variant="outline"
                  disabled={approve.isPending || approvedByMe}
                  onClick={() => approve.mutate(p.revision)}
                >
                  {approvedByMe ? 'Approved' : 'Approve'}
                </Button>
              )}
              <Button
                disabled={merge.isPending || !p.mergeable}
                aria-describedby={p.mergeable ? undefined : 'merge-blockers'}
                onClick={() => merge.mutate(p.revision)}
              >
                Merge
              </Button>
            </div>
          )
        }
      />
      <p className="flex flex-wrap items-center gap-2 text-sm">
        Status:{' '}
        <Badge variant={p.status === 'open' ? 'warning' : 'success'}>
          {p.status === 'open' && p.approvals.length > 0 ? 'approved' : p.status}
        </Badge>
        {p.mergedRevision && <code>{p.mergedRevision.slice(0, 12)}</code>}
        {p.mergedBy && <span>merged by {p.mergedBy.email}</span>}
        {p.approvals.map((a) => (
          <span key={a.userId}>approved by {a.email}</span>
        ))}
      </p>
      {p.status === 'open' && p.blockers.length > 0 && (
        <div id="merge-blockers" className="text-sm">
          Not mergeable yet:
          <ul className="list-disc pl-5">
            {p.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      )}
      <FormError message={error} />
      {p.changeRequests.length > 0 && (
        <ul aria-label="Requested changes" className="flex flex-col gap-2">
          {p.changeRequests.map((c) => (
            <li key={`${c.userId}-${c.requestedAt}`} className="rounded-md border p-3 text-sm">
              <strong>{c.email}</strong> requested changes: {c.comment}
            </li>
          ))}
        </ul>
      )}
      {editor && !mine && (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            requestChanges.mutate(p.revision);
          }}
        >
          <Label htmlFor="request-changes">Request changes</Label>
          <Textarea
            id="request-changes"
            rows={2}
            value={comment}
            placeholder="What should change before this is merged?"
            onChange={(e) => setComment(e.target.value)}
          />
          <div>
            <Button
              type="submit"
              variant="outline"
              disabled={requestChanges.isPending || comment.trim() === ''}
            >
              Request changes
            </Button>
          </div>
        </form>
      )}
      <p className="text-sm text-muted-foreground">
        Reviewing revision <code>{p.revision.slice(0, 12)}</code>. An approval covers exactly this
        revision: a later change withdraws it, and merging needs an approval of the current one.
      </p>
      <h2 className="text-lg font-semibold">Changes</h2>
      <ul className="text-sm">
        {p.files.map((f) => (
          <li key={f.path}>
            {f.status} <code>{f.path}</code>
          </li>
        ))}
      </ul>
      <ChangesTabs changes={p.changes} patch={p.patch} label="Proposal diff" />
    </div>
  );
}
