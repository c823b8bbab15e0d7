'use client';
import { useMutation, useQueries } from '@tanstack/react-query';
import { toast } from 'sonner';
import Link from 'next/link';
import { useState } from 'react';
import { useEnvironments } from '@/components/environments/environment-list';
import { ChangesTabs } from '@/components/diff';
import { FollowEnvironment } from '@/components/follow-environment';
import { reviewedWrite } from '@/components/history/reviewed-write';
import { can, useOrg } from '@/components/org-context';
import { ErrorState, FormError, LoadingRows, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, Label, NativeSelect } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';

type FlagJson = Record<string, unknown> & { key?: string; enabled?: boolean };

/** Stable text of a flag for comparison across environments. */
function same(a: FlagJson | undefined, b: FlagJson | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Compare a namespace across environments and promote selected flags as one commit or proposal. */
export function Promotion() {
  const org = useOrg();
  const envs = useEnvironments(org.slug);
  const [namespace, setNamespace] = useState('default');
  const [source, setSource] = useState<string>();
  const [target, setTarget] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ revision: string; proposal?: string }>();
  const list = envs.data?.items ?? [];
  const src = source ?? list[0]?.key;
  const dst = target ?? list[1]?.key;
  const flags = useQueries({
    queries: list.map((e) => ({
      queryKey: ['flags', org.slug, e.key, namespace],
      queryFn: () =>
        unwrap(
          api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags', {
            params: { path: { org: org.slug, env: e.key, ns: namespace } },
          }),
        ).catch(() => ({ revision: '', flags: [] as FlagJson[] })),
    })),
  });
  const byEnv = new Map(
    list.map((e, i) => [
      e.key,
      new Map(((flags[i]?.data?.flags ?? []) as FlagJson[]).map((f) => [String(f.key), f])),
    ]),
  );
  const keys = [...new Set([...byEnv.values()].flatMap((m) => [...m.keys()]))].sort();
  const body = () => ({ source: src!, namespace, flags: picked });
  const preview = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/orgs/{org}/environments/{env}/promotions/preview', {
          params: { path: { org: org.slug, env: dst! } },
          body: body(),
        }),
      ),
    onSuccess: () => {
      setError(undefined);
      setDone(undefined);
    },
    onError: (e) => setError(describeError(e)),
  });
  const promote = useMutation({
    mutationFn: () => {
      const env = list.find((e) => e.key === dst)!;
      return reviewedWrite(
        org.slug,
        { key: dst!, protected: env.protected, revision: preview.data!.targetRevision },
        `Promote ${picked.length} flag(s) from ${src}`,
        (t) =>
          unwrap(
            api.POST('/api/v1/orgs/{org}/environments/{env}/promotions', {
              params: {
                path: { org: org.slug, env: dst! },
                query: t.proposal ? { proposal: t.proposal } : {},
              },
              headers: { 'if-match': t.ifMatch },
              body: body(),
            }),
          ),
      );
    },
    onSuccess: (r) => {
      setError(undefined);
      setDone(r);
      preview.reset();
      for (const q of flags) void q.refetch();
    },
    onError: (e) => setError(describeError(e)),
  });
  if (envs.isPending) return <LoadingRows rows={3} label="Loading environments" />;
  if (envs.isError) return <ErrorState error={envs.error} />;
  return (
    <div className="flex flex-col gap-6">
      {/* Commits anywhere refresh the grid; the selection is kept. A preview of a target that
          moved is out of date: it is dropped with a warning, to be previewed again. */}
      {list.map((e, i) => (
        <FollowEnvironment
          key={e.key}
          env={e.key}
          ownRevision={done?.revision}
          dirty={picked.length > 0}
          refresh={(commit) => {
            void flags[i]?.refetch();
            if (commit && e.key === dst && preview.data) {
              preview.reset();
              toast.warning(`The preview of ${dst} is out of date: preview again.`, {
                duration: 10_000,
              });
            }
          }}
        />
      ))}
      <PageHeader
        title="Promotion"
        description="Compare flags across environments, then copy the ones you pick as one commit (a proposal for protected environments)."
      />
      <div className="flex flex-wrap items-end gap-4">
        <div className="flex flex-col gap-1">
          <Label htmlFor="promo-ns">Namespace</Label>
          <Input id="promo-ns" value={namespace} onChange={(e) => setNamespace(e.target.value)} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="promo-source">From</Label>
          <NativeSelect id="promo-source" value={src} onChange={(e) => setSource(e.target.value)}>
            {list.map((e) => (
              <option key={e.key}>{e.key}</option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="promo-target">To</Label>
          <NativeSelect id="promo-target" value={dst} onChange={(e) => setTarget(e.target.value)}>
            {list.map((e) => (
              <option key={e.key}>{e.key}</option>
            ))}
          </NativeSelect>
        </div>
      </div>
      {flags.some((q) => q.isPending) ? (
        <LoadingRows rows={3} label="Loading flags" />
      ) : keys.length === 0 ? (
        <p className="text-sm text-muted-foreground">No flags in namespace {namespace}.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" aria-label="Flags by environment">
            <thead>
              <tr className="border-b">
                <th scope="col" className="p-2">
                  <span className="sr-only">Select</span>
                </th>
                <th scope="col" className="p-2">
                  Flag
                </th>
                {list.map((e) => (
                  <th key={e.key} scope="col" className="p-2">
                    {e.key}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const base = byEnv.get(src ?? '')?.get(k);
                return (
                  <tr key={k} className="border-b">
                    <td className="p-2">
                      <input
                        type="checkbox"
                        aria-label={`Select ${k}`}
                        checked={picked.includes(k)}
                        disabled={!base}
                        onChange={(e) =>
                          setPicked(
                            e.target.checked ? [...picked, k] : picked.filter((x) => x !== k),
                          )
                        }
                      />
                    </td>
                    <th scope="row" className="p-2 font-mono font-normal">
                      {k}
                    </th>
                    {list.map((e) => {
                      const f = byEnv.get(e.key)?.get(k);
                      const differs = e.key !== src && !same(f, base);
                      return (
                        <td
                          key={e.key}
                          data-differs={differs || undefined}
                          className={differs ? 'bg-warning/15 p-2' : 'p-2'}
                        >
                          {f ? f.enabled ? 'on' : 'off' : <span className="text-xs">absent</span>}
                          {differs && f && <span className="ml-1 text-xs">(differs)</span>}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex gap-2">
        <Button
          variant="outline"
          disabled={picked.length === 0 || !src || !dst || src === dst || preview.isPending}
          onClick={() => preview.mutate()}
        >
          Preview {picked.length > 0 ? `${picked.length} flag(s)` : ''}
        </Button>
        {preview.data && can(org.role, 'EDITOR') && (
          <Button disabled={promote.isPending} onClick={() => promote.mutate()}>
            Promote to {dst}
          </Button>
        )}
      </div>
      <FormError message={error} />
      {done && (
        <p role="status" className="text-sm">
          {done.proposal ? (
            <>
              Proposal opened:{' '}
              <Link
                className="underline"
                href={`/orgs/${org.slug}/proposals/${dst}/${done.proposal}`}
              >
                review it
              </Link>
            </>
          ) : (
            <>Promoted as {done.revision.slice(0, 12)}.</>
          )}
        </p>
      )}
      {preview.data && (
        <ChangesTabs
          changes={preview.data.changes}
          patch={preview.data.patch}
          label="Promotion diff"
        />
      )}
    </div>
  );
}
