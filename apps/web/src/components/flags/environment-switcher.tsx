'use client';
import Link from 'next/link';
import { LockIcon } from 'lucide-react';
import { useEnvironments } from '@/components/environments/environment-list';
import { cn } from '@/lib/utils';

// A fixed palette so an environment keeps its colour on every page and for every user.
const BANDS = ['bg-sky-500', 'bg-emerald-500', 'bg-violet-500', 'bg-amber-500', 'bg-pink-500'];

/** The colour band of an environment: red for protected ones, otherwise stable per key. */
export function envBand(key: string, isProtected: boolean): string {
  if (isProtected) return 'bg-red-600';
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return BANDS[h % BANDS.length]!;
}

/**
 * The environments of the organisation as tabs over the page, the current one on a colour band
 * (protected ones red and locked), so nobody edits production thinking it is staging.
 */
export function EnvironmentSwitcher({
  org,
  env,
  section,
}: {
  org: string;
  env: string;
  section: 'flags' | 'segments';
}) {
  const envs = useEnvironments(org);
  const current = envs.data?.items.find((e) => e.key === env);
  return (
    <div className="mb-4 flex flex-col gap-2">
      <div
        data-testid="env-band"
        className={cn('h-1.5 w-full rounded-full', envBand(env, current?.protected ?? false))}
        aria-hidden="true"
      />
      <nav aria-label="Environment" className="flex flex-wrap items-center gap-1 text-sm">
        {(envs.data?.items ?? []).map((e) => (
          <Link
            key={e.key}
            href={`/orgs/${org}/environments/${e.key}/${section}`}
            aria-current={e.key === env ? 'page' : undefined}
            className={cn(
              'flex items-center gap-1.5 rounded-md border px-2.5 py-1',
              e.key === env ? 'bg-secondary font-medium' : 'hover:bg-accent',
            )}
          >
            <span
              className={cn('size-2 rounded-full', envBand(e.key, e.protected))}
              aria-hidden="true"
            />
            {e.name}
            {e.protected && (
              <>
                <LockIcon className="size-3" aria-hidden="true" />
                <span className="sr-only">(protected)</span>
              </>
            )}
          </Link>
        ))}
      </nav>
      {current?.protected && (
        <p className="text-sm text-muted-foreground">
          <LockIcon className="mr-1 inline size-3.5" aria-hidden="true" />
          {current.name} is protected: saving opens a proposal that someone else approves.
        </p>
      )}
    </div>
  );
}
