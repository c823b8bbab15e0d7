'use client';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { CalendarClockIcon } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { can, useOrg } from '@/components/org-context';
import { ErrorState, LoadingRows } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/api/errors';
import { flagKeys } from '@/components/flags/flag-api';
import {
  cancelScheduledChange,
  localTimeZone,
  useScheduledChanges,
  type ScheduledChange,
} from './schedule-api';

const STATUS: Record<
  ScheduledChange['status'],
  { label: string; variant: 'secondary' | 'warning' | 'success' | 'destructive' | 'outline' }
> = {
  awaiting_approval: { label: 'awaiting approval', variant: 'warning' },
  pending: { label: 'scheduled', variant: 'secondary' },
  applying: { label: 'applying', variant: 'secondary' },
  applied: { label: 'applied by scheduler', variant: 'success' },
  failed: { label: 'failed', variant: 'destructive' },
  cancelled: { label: 'cancelled', variant: 'outline' },
};

/**
 * Scheduled changes of an environment or of one flag: when each runs (in the viewer's time zone),
 * what it does and where it stands ("scheduled for …", then "applied by scheduler" with its commit
 * or "failed" with the reason); pending ones can be cancelled by editors.
 */
export function ScheduledChanges({
  envKey,
  ns,
  flag,
}: {
  envKey: string;
  ns?: string;
  flag?: string;
}) {
  const org = useOrg();
  const qc = useQueryClient();
  const q = useScheduledChanges(
    org.slug,
    envKey,
    ns && flag ? { namespace: ns, flag } : ns ? { namespace: ns } : {},
  );
  const canWrite = can(org.role, 'EDITOR');
  const heading = `scheduled-h-${flag ?? envKey}`;
  if (q.isPending) return <LoadingRows rows={1} label="Loading scheduled changes" />;
  if (q.isError) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
  // Finished ones stay visible for a day (the flag's history keeps the commits).
  const items = q.data.items.filter(
    (i) => i.finishedAt === null || Date.now() - Date.parse(i.finishedAt) < 86_400_000,
  );
  if (items.length === 0 && flag) return null;
  return (
    <section aria-labelledby={heading} className="flex flex-col gap-2">
      <h2 id={heading} className="flex items-center gap-2 font-semibold">
        <CalendarClockIcon className="size-4" aria-hidden="true" /> Scheduled changes
      </h2>
      {items.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          Nothing scheduled. Schedule a change from a flag’s review panel.
        </p>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Scheduled changes">
          {items.map((i) => (
            <li
              key={i.id}
              className="flex flex-wrap items-start justify-between gap-2 rounded-lg border p-3 text-sm"
            >
              <div className="flex flex-col gap-1">
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{i.summary}</span>
                  <Badge variant={STATUS[i.status].variant}>{STATUS[i.status].label}</Badge>
                </span>
                <span className="text-muted-foreground">
                  {i.status === 'applied' || i.status === 'failed'
                    ? 'Was scheduled for '
                    : 'Scheduled for '}
                  <time dateTime={i.runAt}>{new Date(i.runAt).toLocaleString()}</time> (
                  {localTimeZone()}){' · by '}
                  {i.createdBy.email}
                  {i.approvedBy ? ` · approved by ${i.approvedBy.email}` : ''}
                  {i.cancelledBy ? ` · cancelled by ${i.cancelledBy}` : ''}
                </span>
                {i.status === 'applied' && i.appliedRevision && (
                  <span className="text-muted-foreground">
                    Commit <code>{i.appliedRevision.slice(0, 12)}</code>
                    {i.finishedAt && (
                      <>
                        {' at '}
                        <time dateTime={i.finishedAt}>
                          {new Date(i.finishedAt).toLocaleString()}
                        </time>
                      </>
                    )}
                  </span>
                )}
                {i.status === 'failed' && (
                  <span role="alert" className="text-destructive">
                    Failed: {i.failureReason}
                  </span>
                )}
                {i.status === 'awaiting_approval' && i.proposalId && (
                  <Link
                    className="underline"
                    href={`/orgs/${org.slug}/environments/${envKey}/proposals/${i.proposalId}`}
                  >
                    Review the proposal
                  </Link>
                )}
              </div>
              {canWrite && (i.status === 'pending' || i.status === 'awaiting_approval') && (
                <ConfirmDialog
                  trigger={
                    <Button variant="outline" size="sm">
                      Cancel<span className="sr-only"> {i.summary}</span>
                    </Button>
                  }
                  title="Cancel this scheduled change?"
                  description={`“${i.summary}” will not be applied.`}
                  confirmLabel="Cancel the change"
                  onConfirm={async () => {
                    try {
                      await cancelScheduledChange(org.slug, envKey, i.id);
                      toast.success('Scheduled change cancelled');
                    } catch (e) {
                      toast.error(describeError(e));
                    }
                    await qc.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
