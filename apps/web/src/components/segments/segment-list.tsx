'use client';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { UsersRoundIcon } from 'lucide-react';
import { useState } from 'react';
import { KEY_PATTERN } from '@switchyard/flags';
import { EnvironmentSwitcher } from '@/components/flags/environment-switcher';
import { flagKeys, useFlags, useNamespaces, useSegments } from '@/components/flags/flag-api';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, FieldError, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input, Label, NativeSelect } from '@/components/ui/input';
import { useLiveRefresh } from '@/lib/live-refresh';
import { flagsUsing } from './used-by';

/** `/orgs/{org}/environments/{env}/segments?ns=…`: segments with their constraint and usage counts. */
export function SegmentList({ envKey }: { envKey: string }) {
  const org = useOrg();
  const router = useRouter();
  const params = useSearchParams();
  const ns = params.get('ns') ?? 'default';
  const namespaces = useNamespaces(org.slug, envKey);
  const segments = useSegments(org.slug, envKey, ns);
  const flags = useFlags(org.slug, envKey, ns, {});
  const queryClient = useQueryClient();
  // Commits by anyone else refresh the list and are announced (who changed what).
  useLiveRefresh(org.slug, envKey, {
    ownRevision: segments.data?.revision,
    refresh: () => void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) }),
  });
  const [newKey, setNewKey] = useState('');
  const [error, setError] = useState<string>();
  const base = `/orgs/${org.slug}/environments/${envKey}`;
  const list = segments.data?.segments ?? [];
  return (
    <div>
      <EnvironmentSwitcher org={org.slug} env={envKey} section="segments" />
      <PageHeader
        title="Segments"
        description={
          <>
            Who a rule or rollout targets.{' '}
            <Link className="underline" href={`${base}/flags?ns=${ns}`}>
              Flags
            </Link>
          </>
        }
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-3">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="segment-ns">Namespace</Label>
          <NativeSelect
            id="segment-ns"
            value={ns}
            onChange={(e) => router.replace(`${base}/segments?ns=${e.target.value}`)}
          >
            {(namespaces.data?.namespaces ?? [{ key: ns, name: ns }]).map((n) => (
              <option key={n.key} value={n.key}>
                {n.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        {can(org.role, 'EDITOR') && (
          <form
            className="flex items-end gap-2 sm:col-span-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (!KEY_PATTERN.test(newKey))
                setError('Use letters, digits, "-", "_" and "," only.');
              else router.push(`${base}/segments/${ns}/${newKey}?new`);
            }}
          >
            <div className="flex flex-1 flex-col gap-1.5">
              <Label htmlFor="new-segment-key">New segment key</Label>
              <Input
                id="new-segment-key"
                value={newKey}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'new-segment-key-error' : undefined}
                onChange={(e) => {
                  setNewKey(e.target.value);
                  setError(undefined);
                }}
              />
              <FieldError id="new-segment-key-error" message={error} />
            </div>
            <Button type="submit">New segment</Button>
          </form>
        )}
      </div>
      {segments.isPending ? (
        <LoadingRows rows={3} label="Loading segments" />
      ) : segments.isError ? (
        <ErrorState error={segments.error} retry={() => void segments.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState icon={UsersRoundIcon} title="No segments yet">
          A segment is a set of constraints on the evaluation context (plan is pro, country is one
          of …) that rules and rollouts target.
        </EmptyState>
      ) : (
        <ul aria-label="Segments" className="flex flex-col divide-y rounded-xl border">
          {list.map((s) => {
            const used = flagsUsing(flags.data?.flags ?? [], s.key).length;
            return (
              <li key={s.key}>
                <Link
                  href={`${base}/segments/${ns}/${s.key}`}
                  className="flex items-center gap-3 px-4 py-3 hover:bg-accent focus-visible:bg-accent focus-visible:outline-none"
                >
                  <span className="flex min-w-0 flex-1 flex-col">
                    <span className="font-medium">{s.name}</span>
                    <span className="truncate font-mono text-xs text-muted-foreground">
                      {s.key}
                    </span>
                  </span>
                  <Badge variant="outline">{s.constraints.length} constraints</Badge>
                  <Badge variant="secondary">used by {used}</Badge>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
