'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useEnvironments } from '@/components/environments/environment-list';
import { useOrg } from '@/components/org-context';
import { FormError, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input, Label, Textarea } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import type { paths } from '@/lib/api/schema';

type Result =
  paths['/api/v1/orgs/{org}/playground']['post']['responses'][200]['content']['application/json'];
type FlagResult = Result['environments'][number]['flags'][number];

function Answer({ f }: { f: FlagResult }) {
  if (!f.found) return <span className="text-muted-foreground">{f.error}</span>;
  const text =
    f.type === 'BOOLEAN_FLAG_TYPE' ? String(f.value) : f.variantKey ? f.variantKey : '(no variant)';
  return (
    <span className="flex flex-wrap items-center gap-2">
      <strong data-testid="answer">{text}</strong>
      <Badge variant="secondary">
        {f.reason?.replace(/_EVALUATION_REASON$/, '').toLowerCase()}
      </Badge>
    </span>
  );
}

function Explanation({ f }: { f: FlagResult }) {
  return (
    <div className="flex flex-col gap-2 text-sm">
      <p>{f.summary}</p>
      {(f.steps ?? []).length > 0 && (
        <ol className="flex flex-col gap-2" aria-label={`Steps of ${f.key}`}>
          {f.steps!.map((s) => (
            <li key={s.index} className="rounded-md border p-2">
              <p className="font-medium">
                {s.kind === 'rule' ? 'Rule' : 'Rollout'} {s.index}{' '}
                <Badge variant={s.matched ? 'success' : 'secondary'}>
                  {s.matched ? 'decided' : 'no match'}
                </Badge>
                {s.segmentOperator && (
                  <span className="ml-2 text-muted-foreground">
                    {s.segmentOperator === 'AND_SEGMENT_OPERATOR' ? 'all segments' : 'any segment'}
                  </span>
                )}
              </p>
              <p className="text-muted-foreground">{s.note}</p>
              {s.segments.map((seg) => (
                <div key={seg.key} className="mt-1">
                  <p>
                    Segment <code>{seg.key}</code> (
                    {seg.matchType === 'ALL_MATCH_TYPE' ? 'ALL' : 'ANY'}):{' '}
                    {seg.matched ? 'matched' : 'not matched'}
                  </p>
                  <ul className="ml-4 list-disc">
                    {seg.constraints.map((c, i) => (
                      <li key={i}>
                        <code>{c.property ?? 'entity id'}</code> {c.operator}{' '}
                        {c.value !== '' && <code>{c.value}</code>} — saw{' '}
                        <code>{c.seen === '' ? '""' : c.seen}</code>:{' '}
                        {c.matched ? '✓ matched' : '✗ failed'}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
              {s.distributions && (
                <p>
                  Bucket {s.bucket} of 1000 —{' '}
                  {s.distributions
                    .map((d) => `${d.variantKey} [${d.from}, ${d.to}) ${d.rollout}%`)
                    .join(' · ')}
                </p>
              )}
              {s.thresholdBucket !== undefined && (
                <p>
                  Bucket {s.thresholdBucket} of 100, threshold {s.percentage}% → {String(s.value)}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** Evaluate one entity and context in several environments at once, explained by the engine. */
export function Playground() {
  const org = useOrg();
  const envs = useEnvironments(org.slug);
  const [selected, setSelected] = useState<string[] | null>(null);
  const [namespace, setNamespace] = useState('default');
  const [flagList, setFlagList] = useState('');
  const [entityId, setEntityId] = useState('user-1');
  const [context, setContext] = useState('{\n  "plan": "pro"\n}');
  const [error, setError] = useState<string>();
  const keys = envs.data?.items.map((e) => e.key) ?? [];
  const chosen = selected ?? keys;
  const run = useMutation({
    mutationFn: (body: {
      environments: string[];
      namespace: string;
      flags?: { namespace: string; key: string }[];
      entityId: string;
      context: Record<string, string>;
    }) =>
      unwrap(
        api.POST('/api/v1/orgs/{org}/playground', { params: { path: { org: org.slug } }, body }),
      ),
    onSuccess: () => setError(undefined),
    onError: (e) => setError(describeError(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let ctx: Record<string, string>;
    try {
      const parsed: unknown = JSON.parse(context || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      ctx = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      setError('Context must be a JSON object, for example {"plan": "pro"}.');
      return;
    }
    const flags = flagList
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((key) => ({ namespace, key }));
    run.mutate({
      environments: chosen,
      namespace,
      ...(flags.length > 0 ? { flags } : {}),
      entityId,
      context: ctx,
    });
  };
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Playground"
        description="Evaluate one entity and context in every environment at once; the engine explains each answer."
      />
      {envs.isPending ? (
        <LoadingRows rows={2} label="Loading environments" />
      ) : (
        <form onSubmit={submit} className="grid gap-4 md:grid-cols-2">
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium">Environments</legend>
            {keys.map((k) => (
              <label key={k} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={chosen.includes(k)}
                  onChange={(e) =>
                    setSelected(e.target.checked ? [...chosen, k] : chosen.filter((x) => x !== k))
                  }
                />
                {k}
              </label>
            ))}
          </fieldset>
          <div className="flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <Label htmlFor="pg-ns">Namespace</Label>
              <Input id="pg-ns" value={namespace} onChange={(e) => setNamespace(e.target.value)} />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="pg-flags">Flags (empty: every flag of the namespace)</Label>
              <Input
                id="pg-flags"
                value={flagList}
                placeholder="checkout, dark-mode"
                onChange={(e) => setFlagList(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="pg-entity">Entity id</Label>
              <Input
                id="pg-entity"
                value={entityId}
                onChange={(e) => setEntityId(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="pg-context">Context (JSON object)</Label>
              <Textarea
                id="pg-context"
                rows={4}
                className="font-mono"
                value={context}
                onChange={(e) => setContext(e.target.value)}
              />
            </div>
            <FormError message={error} />
            <Button type="submit" disabled={run.isPending || chosen.length === 0}>
              Evaluate
            </Button>
          </div>
        </form>
      )}
      {run.data && (
        <section aria-label="Results" className="flex flex-col gap-4">
          {run.data.environments.map((env) => (
            <div key={env.environment} className="rounded-xl border p-4">
              <h2 className="font-semibold">
                {env.environment}{' '}
                {env.revision && (
                  <code className="text-xs text-muted-foreground">{env.revision.slice(0, 12)}</code>
                )}
              </h2>
              {env.error && <p className="text-sm text-destructive">{env.error}</p>}
              {env.flags.length === 0 && !env.error && (
                <p className="text-sm text-muted-foreground">No flags in this namespace.</p>
              )}
              <ul className="mt-2 flex flex-col gap-3">
                {env.flags.map((f) => (
                  <li
                    key={`${f.namespace}/${f.key}`}
                    data-testid={`result-${env.environment}-${f.key}`}
                    className="flex flex-col gap-1"
                  >
                    <p className="flex flex-wrap items-center gap-2">
                      <code>
                        {f.namespace}/{f.key}
                      </code>
                      <Answer f={f} />
                    </p>
                    {f.found && (
                      <details>
                        <summary className="cursor-pointer text-sm">Why?</summary>
                        <Explanation f={f} />
                      </details>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}
