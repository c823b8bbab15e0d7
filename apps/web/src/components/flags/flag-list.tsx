'use client';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { FlagIcon } from 'lucide-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { useEnvironmentEvents } from '@/lib/live';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Input, Label, NativeSelect } from '@/components/ui/input';
import { EnvironmentSwitcher } from './environment-switcher';
import { flagKeys, useFlags, useNamespaces, type FlagFilters } from './flag-api';
import { Sparkline } from '@/components/insights/sparkline';
import { ago, useUsageSummary } from '@/components/insights/insights-api';
import { CreateFlagDialog } from './create-flag-dialog';

/** Reads the filters from the URL (the URL is the state: links and reloads keep them). */
function filtersOf(params: URLSearchParams): FlagFilters {
  const type = params.get('type');
  const enabled = params.get('enabled');
  return {
    q: params.get('q') || undefined,
    type: type === 'VARIANT_FLAG_TYPE' || type === 'BOOLEAN_FLAG_TYPE' ? type : undefined,
    enabled: enabled === 'true' || enabled === 'false' ? enabled : undefined,
    metadata: params.get('metadata') || undefined,
  };
}

/**
 * `/orgs/{org}/environments/{env}/flags?ns=…`: the flags of one namespace, searched and filtered
 * by the control plane; j/k move the selection, Enter opens it.
 */
export function FlagList({ envKey }: { envKey: string }) {
  const org = useOrg();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const ns = params.get('ns') ?? 'default';
  const filters = filtersOf(params);
  const namespaces = useNamespaces(org.slug, envKey);
  const flags = useFlags(org.slug, envKey, ns, filters);
  const summary = useUsageSummary(org.slug, envKey);
  const usageOf = new Map(summary.data?.items.map((i) => [`${i.namespace}/${i.flag}`, i]));
  const queryClient = useQueryClient();
  // Commits by anyone refresh the list; someone else's are announced (who changed what).
  useEnvironmentEvents(
    org.slug,
    envKey,
    (commit) => {
      if (commit.revision === flags.data?.revision) return;
      void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
      const what = commit.changedFlags?.map((f) => `${f.namespace}/${f.key}`).join(', ');
      toast.info(
        `${commit.author?.name ?? 'Someone'} committed to ${envKey}: ${commit.message}` +
          (what ? ` (${what})` : ''),
      );
    },
    () => void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) }),
  );
  const [search, setSearch] = useState(filters.q ?? '');
  const [selected, setSelected] = useState(0);
  const rows = useRef<(HTMLAnchorElement | null)[]>([]);
  const canWrite = can(org.role, 'EDITOR');

  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  // The search box updates the URL (and so the query) once typing pauses.
  useEffect(() => {
    const t = setTimeout(() => {
      if ((filters.q ?? '') !== search) setParam('q', search || undefined);
    }, 250);
    return () => clearTimeout(t);
  }, [search]);

  const list = flags.data?.flags ?? [];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || e.metaKey || e.ctrlKey)
        return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        setSelected((s) => {
          const n = Math.max(0, Math.min(list.length - 1, s + (e.key === 'j' ? 1 : -1)));
          rows.current[n]?.focus();
          return n;
        });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [list.length]);

  const base = `/orgs/${org.slug}/environments/${envKey}`;
  return (
    <div>
      <EnvironmentSwitcher org={org.slug} env={envKey} section="flags" />
      <PageHeader
        title="Flags"
        description={
          <>
            Flags of <strong>{envKey}</strong>; press j/k to move, Enter to open.{' '}
            <Link className="underline" href={`${base}/segments?ns=${ns}`}>
              Segments
            </Link>{' '}
            ·{' '}
            <Link className="underline" href={`${base}/stale`}>
              Stale flags
            </Link>
          </>
        }
        actions={canWrite ? <CreateFlagDialog envKey={envKey} ns={ns} /> : undefined}
      />
      <form
        role="search"
        className="mb-4 grid gap-3 sm:grid-cols-5"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="flag-ns">Namespace</Label>
          <NativeSelect id="flag-ns" value={ns} onChange={(e) => setParam('ns', e.target.value)}>
            {(namespaces.data?.namespaces ?? [{ key: ns, name: ns }]).map((n) => (
              <option key={n.key} value={n.key}>
                {n.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1.5 sm:col-span-2">
          <Label htmlFor="flag-search">Search</Label>
          <Input
            id="flag-search"
            type="search"
            placeholder="Key, name or description"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="flag-type">Type</Label>
          <NativeSelect
            id="flag-type"
            value={filters.type ?? ''}
            onChange={(e) => setParam('type', e.target.value || undefined)}
          >
            <option value="">Any</option>
            <option value="VARIANT_FLAG_TYPE">Variant</option>
            <option value="BOOLEAN_FLAG_TYPE">Boolean</option>
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="flag-enabled">State</Label>
          <NativeSelect
            id="flag-enabled"
            value={filters.enabled ?? ''}
            onChange={(e) => setParam('enabled', e.target.value || undefined)}
          >
            <option value="">Any</option>
            <option value="true">Enabled</option>
            <option value="false">Disabled</option>
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1.5 sm:col-span-2">
          <Label htmlFor="flag-metadata">Metadata</Label>
          <Input
            id="flag-metadata"
            placeholder="team or team=payments"
            defaultValue={filters.metadata ?? ''}
            onKeyDown={(e) => {
              if (e.key === 'Enter') setParam('metadata', e.currentTarget.value || undefined);
            }}
            onBlur={(e) => setParam('metadata', e.currentTarget.value || undefined)}
          />
        </div>
      </form>
      {flags.isPending ? (
        <LoadingRows rows={4} label="Loading flags" />
      ) : flags.isError ? (
        <ErrorState error={flags.error} retry={() => void flags.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState
          icon={FlagIcon}
          title={
            filters.q || filters.type || filters.enabled || filters.metadata
              ? 'No flag matches'
              : 'No flags yet'
          }
          action={canWrite ? <CreateFlagDialog envKey={envKey} ns={ns} /> : undefined}
        >
          A flag turns code paths on and off, or picks a variant per user, without a deploy.
        </EmptyState>
      ) : (
        <ul aria-label="Flags" className="flex flex-col divide-y rounded-xl border">
          {list.map((f, i) => (
            <li key={f.key}>
              <Link
                ref={(el) => {
                  rows.current[i] = el;
                }}
                href={`${base}/flags/${ns}/${f.key}`}
                data-selected={i === selected ? '' : undefined}
                onFocus={() => setSelected(i)}
                className="flex items-center gap-3 px-4 py-3 hover:bg-accent focus-visible:bg-accent focus-visible:outline-none data-[selected]:bg-accent/60"
              >
                <span className="flex min-w-0 flex-1 flex-col">
                  <span className="font-medium">{f.name}</span>
                  <span className="truncate font-mono text-xs text-muted-foreground">{f.key}</span>
                </span>
                {summary.data && (
                  <Sparkline
                    values={usageOf.get(`${ns}/${f.key}`)?.trend ?? new Array<number>(24).fill(0)}
                    label={`${usageOf.get(`${ns}/${f.key}`)?.total ?? 0} evaluations in 24 h, last ${ago(usageOf.get(`${ns}/${f.key}`)?.lastEvaluatedAt ?? null)}`}
                  />
                )}
                <Badge variant="outline">
                  {f.type === 'BOOLEAN_FLAG_TYPE' ? 'boolean' : 'variant'}
                </Badge>
                <Badge variant={f.enabled ? 'success' : 'secondary'}>
                  {f.enabled ? 'enabled' : 'disabled'}
                </Badge>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
