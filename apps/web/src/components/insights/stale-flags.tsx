'use client';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import { ArchiveIcon } from 'lucide-react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { useEnvironments } from '@/components/environments/environment-list';
import { flagKeys } from '@/components/flags/flag-api';
import { reviewedWrite } from '@/components/history/reviewed-write';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, Label } from '@/components/ui/input';
import { describeError } from '@/lib/api/errors';
import { ago, archiveFlags, insightKeys, useStaleFlags } from './insights-api';

type Reason =
  | { kind: 'not-evaluated'; lastEvaluatedAt: string | null }
  | { kind: 'single-value'; value: string; count: number };

function describe(r: Reason, days: number): string {
  return r.kind === 'not-evaluated'
    ? `not evaluated for ${days} days in any environment (last: ${ago(r.lastEvaluatedAt)})`
    : `served only "${r.value}" for ${days} days (${r.count.toLocaleString('en')} evaluations)`;
}

/** `/orgs/{org}/environments/{env}/stale`: stale flags and their archive in one commit. */
export function StaleFlags({ envKey }: { envKey: string }) {
  const org = useOrg();
  const queryClient = useQueryClient();
  const [days, setDays] = useState(30);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const stale = useStaleFlags(org.slug, envKey, days);
  const envs = useEnvironments(org.slug);
  const isProtected = envs.data?.items.find((e) => e.key === envKey)?.protected ?? false;
  const canWrite = can(org.role, 'EDITOR');
  const base = `/orgs/${org.slug}/environments/${envKey}`;

  const archive = async () => {
    if (!stale.data) return;
    const flags = [...selected].map((k) => {
      const [namespace, flag] = k.split('/') as [string, string];
      return { namespace, flag };
    });
    try {
      const res = await reviewedWrite(
        org.slug,
        { key: envKey, protected: isProtected, revision: stale.data.revision },
        `Archive ${flags.length} stale flag${flags.length === 1 ? '' : 's'}`,
        (t) => archiveFlags(org.slug, envKey, t.ifMatch, flags, t.proposal),
      );
      toast.success(
        res.proposal
          ? `Proposal opened: ${flags.length} flag(s) to archive`
          : `Archived ${flags.length} flag(s) in ${res.revision.slice(0, 8)}`,
      );
      setSelected(new Set());
      await queryClient.invalidateQueries({ queryKey: insightKeys.org(org.slug) });
      await queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
    } catch (e) {
      toast.error(describeError(e));
    }
  };

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title={`Stale flags in ${envKey}`}
        description="Flags nobody committed to for N days that were not evaluated in any environment, or served one value only. Client-side SDK evaluations are not seen: a flag only evaluated client-side shows as not evaluated."
      />
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <Label htmlFor="stale-days">Days (N)</Label>
          <Input
            id="stale-days"
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 1 && n <= 365) setDays(n);
            }}
            className="w-28"
          />
        </div>
        {canWrite && (
          <ConfirmDialog
            trigger={
              <Button disabled={selected.size === 0}>
                <ArchiveIcon aria-hidden="true" /> Archive selected ({selected.size})
              </Button>
            }
            title={`Archive ${selected.size} flag(s)?`}
            description={
              isProtected
                ? 'This environment is protected: a proposal deleting them in one commit is opened for review.'
                : 'They are deleted in one commit (the Flipt format has no archived state); restore any of them from its history.'
            }
            confirmLabel="Archive"
            onConfirm={archive}
          />
        )}
      </div>
      {stale.isPending ? (
        <LoadingRows rows={3} label="Loading stale flags" />
      ) : stale.isError ? (
        <ErrorState error={stale.error} />
      ) : stale.data.items.length === 0 ? (
        <EmptyState icon={ArchiveIcon} title="No stale flags">
          Every flag was evaluated or changed within {days} days.
        </EmptyState>
      ) : (
        <ul aria-label="Stale flags" className="flex flex-col divide-y rounded-xl border">
          {stale.data.items.map((f) => {
            const k = `${f.namespace}/${f.flag}`;
            return (
              <li key={k} className="flex items-start gap-3 px-4 py-3">
                {canWrite && (
                  <input
                    type="checkbox"
                    aria-label={`Select ${k}`}
                    className="mt-1 size-4"
                    checked={selected.has(k)}
                    onChange={(e) =>
                      setSelected((s) => {
                        const next = new Set(s);
                        if (e.target.checked) next.add(k);
                        else next.delete(k);
                        return next;
                      })
                    }
                  />
                )}
                <span className="flex min-w-0 flex-1 flex-col">
                  <Link
                    className="font-medium underline"
                    href={`${base}/flags/${f.namespace}/${f.flag}`}
                  >
                    {f.name} <span className="font-mono text-xs">{k}</span>
                  </Link>
                  {f.reasons.map((r, i) => (
                    <span key={i} className="text-sm text-muted-foreground">
                      {describe(r, days)}
                    </span>
                  ))}
                  <span className="text-xs text-muted-foreground">
                    Last commit {ago(f.lastCommitAt)}
                  </span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
