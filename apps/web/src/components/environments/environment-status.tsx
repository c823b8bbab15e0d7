'use client';
import {
  AlertTriangleIcon,
  CheckCircle2Icon,
  CircleDashedIcon,
  GitCommitHorizontalIcon,
  InfoIcon,
  RefreshCwIcon,
} from 'lucide-react';
import type { operations } from '@/lib/api/schema';
import { Badge } from '@/components/ui/badge';
import { relativeTime } from '@/lib/utils';

export type EnvironmentStatus =
  operations['EnvironmentsController_get']['responses'][200]['content']['application/json']['status'];
type Commit = NonNullable<EnvironmentStatus['revision']>;

const SYNC: Record<
  EnvironmentStatus['sync'],
  {
    label: string;
    variant: 'success' | 'secondary' | 'destructive' | 'outline';
    icon: typeof CheckCircle2Icon;
  }
> = {
  in_sync: { label: 'In sync', variant: 'success', icon: CheckCircle2Icon },
  syncing: { label: 'Syncing', variant: 'secondary', icon: RefreshCwIcon },
  failing: { label: 'Sync failing', variant: 'destructive', icon: AlertTriangleIcon },
  never_synced: { label: 'Never synced', variant: 'outline', icon: CircleDashedIcon },
};

/** Polls faster while something is about to change, slower when everything is in sync. */
export function statusPollInterval(statuses: readonly EnvironmentStatus[] | undefined): number {
  if (!statuses) return 15_000;
  return statuses.every((s) => s.sync === 'in_sync') ? 15_000 : 5_000;
}

export function SyncBadge({ sync }: { sync: EnvironmentStatus['sync'] }) {
  const s = SYNC[sync];
  const Icon = s.icon;
  return (
    <Badge variant={s.variant} data-sync={sync}>
      <Icon className="size-3" aria-hidden="true" />
      {s.label}
    </Badge>
  );
}

function Time({ iso }: { iso: string }) {
  return (
    // Rendered on the server too (the overview's first HTML): its clock and time zone differ.
    <time dateTime={iso} title={new Date(iso).toLocaleString()} suppressHydrationWarning>
      {relativeTime(iso)}
    </time>
  );
}

/** `abc1234 · message · author, 3 minutes ago` (the message and author once the commit is known). */
function CommitLine({ commit }: { commit: Commit }) {
  return (
    <span className="flex min-w-0 flex-col">
      <span className="flex min-w-0 items-center gap-1.5">
        <GitCommitHorizontalIcon className="size-3.5 shrink-0" aria-hidden="true" />
        <code className="font-mono text-xs" title={commit.sha} data-commit={commit.sha}>
          {commit.sha.slice(0, 7)}
        </code>
        {commit.message && <span className="truncate">{commit.message}</span>}
      </span>
      {commit.author && (
        <span className="text-xs text-muted-foreground">
          {commit.author.name}
          {commit.time && (
            <>
              , <Time iso={commit.time} />
            </>
          )}
        </span>
      )}
    </span>
  );
}

/**
 * What the organisation's instance serves for an environment: sync state, the revision served
 * and the last sync error with its commit, file and line. `compact` for cards.
 */
export function EnvironmentStatusBlock({
  status,
  directory = '',
  compact = false,
}: {
  status: EnvironmentStatus;
  /** The environment's directory: files are reported relative to it, shown as repository paths. */
  directory?: string;
  compact?: boolean;
}) {
  const e = status.error;
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="environment-status">
      <dl className="grid grid-cols-[7rem_1fr] items-start gap-x-3 gap-y-2">
        <dt className="text-muted-foreground">Sync</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <SyncBadge sync={status.sync} />
          {status.lastSyncAt && (
            <span className="text-xs text-muted-foreground">
              checked <Time iso={status.lastSyncAt} />
            </span>
          )}
        </dd>
        <dt className="text-muted-foreground">Revision served</dt>
        <dd className="min-w-0" data-testid="revision-served">
          {status.revision ? (
            <CommitLine commit={status.revision} />
          ) : (
            <span className="text-muted-foreground">
              Nothing yet: the instance has not loaded this environment.
            </span>
          )}
        </dd>
        {!compact && status.sync === 'syncing' && status.head && (
          <>
            <dt className="text-muted-foreground">Branch head</dt>
            <dd>
              <code className="font-mono text-xs" title={status.head}>
                {status.head.slice(0, 7)}
              </code>{' '}
              <span className="text-muted-foreground">(being picked up)</span>
            </dd>
          </>
        )}
      </dl>
      {e && (
        <div
          className="flex flex-col gap-1.5 rounded-lg border border-destructive/40 p-3"
          data-testid="sync-error"
        >
          <p className="flex items-center gap-1.5 font-medium text-destructive">
            <AlertTriangleIcon className="size-4" aria-hidden="true" />
            Last sync failed
            {e.at && (
              <span className="font-normal text-muted-foreground">
                {' '}
                · <Time iso={e.at} />
              </span>
            )}
          </p>
          <dl className="grid grid-cols-[4rem_1fr] gap-x-3 gap-y-1">
            {e.commit && (
              <>
                <dt className="text-muted-foreground">Commit</dt>
                <dd className="min-w-0">
                  <CommitLine commit={e.commit} />
                </dd>
              </>
            )}
            {e.file && (
              <>
                <dt className="text-muted-foreground">File</dt>
                <dd className="font-mono text-xs break-all" data-testid="sync-error-location">
                  {directory ? `${directory}/${e.file}` : e.file}
                  {e.line !== null && `:${e.line}`}
                  {e.line !== null && e.column !== null && `:${e.column}`}
                </dd>
              </>
            )}
          </dl>
          <p className={compact ? 'line-clamp-3 break-words' : 'break-words whitespace-pre-wrap'}>
            {e.message}
          </p>
          <p className="text-xs text-muted-foreground">
            {status.revision
              ? 'The last good revision keeps being served until a commit fixes this.'
              : 'Nothing is served for this environment until a commit fixes this.'}
          </p>
        </div>
      )}
      {status.warnings.length > 0 && (
        <details
          className="rounded-lg border border-amber-500/40 p-3"
          data-testid="sync-warnings"
          open={!compact}
        >
          <summary className="flex cursor-pointer items-center gap-1.5 font-medium text-amber-800 dark:text-amber-300">
            <InfoIcon className="size-4" aria-hidden="true" />
            {status.warnings.length === 1 ? '1 warning' : `${status.warnings.length} warnings`}{' '}
            <span className="font-normal text-muted-foreground">
              · served; Flipt loads these too and behaves as each says
            </span>
          </summary>
          <ul className="mt-2 flex flex-col gap-1.5">
            {status.warnings.map((w, i) => (
              <li key={i} className="flex flex-col gap-0.5">
                {w.file && (
                  <code className="font-mono text-xs break-all">
                    {directory ? `${directory}/${w.file}` : w.file}
                    {w.line !== null && `:${w.line}`}
                    {w.line !== null && w.column !== null && `:${w.column}`}
                  </code>
                )}
                <span className="break-words">{w.message}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
