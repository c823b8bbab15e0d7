'use client';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { ChevronLeftIcon, PlusIcon, Trash2Icon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import {
  diffSegment,
  diffValues,
  segmentSchema,
  segmentYaml,
  type Segment,
} from '@switchyard/flags';
import { useEnvironments } from '@/components/environments/environment-list';
import { EnvironmentSwitcher } from '@/components/flags/environment-switcher';
import {
  deleteSegment,
  flagKeys,
  putSegment,
  useFlags,
  useSegments,
} from '@/components/flags/flag-api';
import { ReviewPanel, type Versioned } from '@/components/flags/review-panel';
import { ReorderList } from '@/components/flags/reorder-list';
import { useUnsavedChanges } from '@/components/flags/unsaved-changes';
import { validateSegmentSource } from '@/components/flags/source-text';
import { putSource, useYamlSource } from '@/components/flags/use-yaml-source';
import { reapply } from '@/components/flags/validate';
import { YamlEditor } from '@/components/flags/yaml-editor';
import { can, useOrg } from '@/components/org-context';
import { ErrorState, LoadingRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, Label, NativeSelect, Textarea } from '@/components/ui/input';
import { useLiveRefresh } from '@/lib/live-refresh';
import { ConstraintEditor } from './constraint-editor';
import { flagsUsing } from './used-by';

function emptySegment(key: string): Segment {
  return { key, name: key, description: undefined, match_type: 'ALL_MATCH_TYPE', constraints: [] };
}

/** `/orgs/{org}/environments/{env}/segments/{ns}/{key}`: constraints, "used by", saved via review. */
export function SegmentPage({
  envKey,
  ns,
  segmentKey,
}: {
  envKey: string;
  ns: string;
  segmentKey: string;
}) {
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const isNew = useSearchParams().get('new') !== null;
  const envs = useEnvironments(org.slug);
  const isProtected = envs.data?.items.find((e) => e.key === envKey)?.protected ?? false;
  const segments = useSegments(org.slug, envKey, ns);
  const flags = useFlags(org.slug, envKey, ns, {});
  const [base, setBase] = useState<Versioned<Segment>>();
  const [draft, setDraft] = useState<Segment>();
  const [review, setReview] = useState<'save' | 'delete'>();
  const [tab, setTab] = useState<'form' | 'yaml'>('form');
  useEffect(() => {
    if (!segments.data || base) return;
    const value = segments.data.segments.find((s) => s.key === segmentKey);
    setBase({ revision: segments.data.revision, value });
    setDraft(value ?? (isNew ? emptySegment(segmentKey) : undefined));
  }, [segments.data, base, segmentKey, isNew]);
  // An existing segment's YAML tab shows (and saves) its lines exactly as stored in git.
  const yaml = useYamlSource<Segment>({
    org: org.slug,
    env: envKey,
    ns,
    kind: 'segments',
    objectKey: segmentKey,
    base,
    draft,
    active: tab === 'yaml',
    validate: (src, text) => {
      const r = validateSegmentSource(ns, segmentKey, src, text);
      return { value: r.segment, errors: r.errors };
    },
    onValue: setDraft,
  });
  const dirty =
    draft !== undefined &&
    (JSON.stringify(draft) !== JSON.stringify(base?.value) || yaml.textChanged);
  useUnsavedChanges(dirty);
  // Someone else committed: a clean page follows the new revision, a dirty one keeps its edits
  // (the review panel's 409 flow re-applies them on top) and warns.
  const segmentsKey = [...flagKeys.env(org.slug, envKey), 'segments', ns];
  useLiveRefresh(org.slug, envKey, {
    ownRevision: base?.revision,
    dirty,
    refresh: async (commit) => {
      await queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
      if (dirty || !base || !commit) return;
      const latest = queryClient.getQueryData<{ revision: string; segments: Segment[] }>(
        segmentsKey,
      );
      if (!latest) return;
      const value = latest.segments.find((x) => x.key === segmentKey);
      const changed = JSON.stringify(value) !== JSON.stringify(base.value);
      setBase({ revision: latest.revision, value });
      setDraft(value);
      if (changed)
        return `${commit.author?.name ?? 'Someone'} changed this segment: ${commit.message}`;
      return undefined;
    },
  });

  if (segments.isError)
    return <ErrorState error={segments.error} retry={() => void segments.refetch()} />;
  if (!base) return <LoadingRows rows={3} label="Loading the segment" />;
  const listHref = `/orgs/${org.slug}/environments/${envKey}/segments?ns=${ns}`;
  if (!draft)
    return (
      <ErrorState
        error={new Error(`Segment "${segmentKey}" does not exist in namespace "${ns}".`)}
        retry={() => router.push(listHref)}
      />
    );
  const usedBy = flagsUsing(flags.data?.flags ?? [], segmentKey);
  const parsed = segmentSchema.safeParse(draft);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || 'segment'}: ${i.message}`);
  const canWrite = can(org.role, 'EDITOR');
  const set = (patch: Partial<Segment>) => setDraft({ ...draft, ...patch });
  const flagBase = `/orgs/${org.slug}/environments/${envKey}/flags/${ns}`;

  return (
    <div className="flex flex-col gap-4">
      <EnvironmentSwitcher org={org.slug} env={envKey} section="segments" />
      <Link href={listHref} className="flex items-center gap-1 text-sm text-muted-foreground">
        <ChevronLeftIcon className="size-4" aria-hidden="true" /> Segments of {ns}
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">
          {draft.name}{' '}
          <span className="font-mono text-base text-muted-foreground">{segmentKey}</span>
        </h1>
        {canWrite && (
          <div className="flex items-center gap-2">
            {dirty && <span className="text-sm text-muted-foreground">Unsaved changes</span>}
            {base.value && (
              <Button
                variant="outline"
                disabled={usedBy.length > 0}
                aria-describedby="used-by-h"
                onClick={() => setReview('delete')}
              >
                <Trash2Icon aria-hidden="true" /> Delete
              </Button>
            )}
            <Button
              disabled={!dirty || problems.length > 0 || yaml.errors.length > 0}
              onClick={() => setReview('save')}
            >
              Review and save
            </Button>
          </div>
        )}
      </div>
      {base.value !== undefined && (
        <div role="tablist" aria-label="Editor" className="flex gap-1">
          {(['form', 'yaml'] as const).map((t) => (
            <button
              key={t}
              role="tab"
              id={`tab-${t}`}
              aria-selected={tab === t}
              aria-controls={`panel-${t}`}
              onClick={() => setTab(t)}
              className={
                tab === t
                  ? 'rounded-md bg-secondary px-3 py-1.5 text-sm font-medium'
                  : 'rounded-md px-3 py-1.5 text-sm text-muted-foreground hover:bg-accent'
              }
            >
              {t === 'form' ? 'Form' : 'YAML'}
            </button>
          ))}
        </div>
      )}
      {tab === 'yaml' ? (
        <div id="panel-yaml" role="tabpanel" aria-labelledby="tab-yaml">
          {yaml.loadError ? (
            <p role="alert" className="text-sm text-destructive">
              {yaml.loadError}
            </p>
          ) : yaml.source && yaml.text !== undefined ? (
            <YamlEditor
              id="segment-yaml"
              label={`${segmentKey} as stored in ${yaml.source.file} from line ${yaml.source.startLine} (validated as you type)`}
              value={yaml.text}
              errors={yaml.errors}
              onChange={yaml.edit}
              firstLine={yaml.source.startLine}
            />
          ) : (
            <LoadingRows rows={3} label="Loading the stored YAML" />
          )}
        </div>
      ) : (
        <div
          id="panel-form"
          role="tabpanel"
          aria-labelledby="tab-form"
          className="flex flex-col gap-4"
        >
          <section aria-label="Basics" className="grid gap-3 sm:grid-cols-2">
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="segment-name">Name</Label>
              <Input
                id="segment-name"
                value={draft.name}
                onChange={(e) => set({ name: e.target.value })}
              />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="segment-match">Match</Label>
              <NativeSelect
                id="segment-match"
                value={draft.match_type}
                onChange={(e) => set({ match_type: e.target.value as Segment['match_type'] })}
              >
                <option value="ALL_MATCH_TYPE">all constraints</option>
                <option value="ANY_MATCH_TYPE">any constraint</option>
              </NativeSelect>
            </div>
            <div className="flex flex-col gap-1.5 sm:col-span-2">
              <Label htmlFor="segment-description">Description</Label>
              <Textarea
                id="segment-description"
                rows={2}
                value={draft.description ?? ''}
                onChange={(e) => set({ description: e.target.value || undefined })}
              />
            </div>
          </section>
          <section aria-labelledby="constraints-h" className="flex flex-col gap-3">
            <h2 id="constraints-h" className="font-semibold">
              Constraints
            </h2>
            <ReorderList
              items={draft.constraints}
              noun="Constraint"
              onChange={(constraints) => set({ constraints })}
              render={(c, i) => (
                <ConstraintEditor
                  id={`constraint-${i}`}
                  constraint={c}
                  onChange={(next) =>
                    set({ constraints: draft.constraints.map((x, j) => (j === i ? next : x)) })
                  }
                />
              )}
            />
            <Button
              type="button"
              variant="outline"
              className="self-start"
              onClick={() =>
                set({
                  constraints: [
                    ...draft.constraints,
                    {
                      type: 'STRING_COMPARISON_TYPE',
                      property: '',
                      operator: 'eq',
                      value: '',
                      description: undefined,
                    },
                  ],
                })
              }
            >
              <PlusIcon aria-hidden="true" /> Add constraint
            </Button>
          </section>
        </div>
      )}
      {problems.length > 0 && (
        <ul role="alert" aria-label="Problems" className="text-sm text-destructive">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <section aria-labelledby="used-by-h" className="flex flex-col gap-2">
        <h2 id="used-by-h" className="font-semibold">
          Used by
        </h2>
        {usedBy.length === 0 ? (
          <p className="text-sm text-muted-foreground">No flag uses this segment.</p>
        ) : (
          <>
            <p className="text-sm text-muted-foreground">
              It cannot be deleted while these flags use it; remove it from their rules and rollouts
              first.
            </p>
            <ul className="flex flex-wrap gap-2">
              {usedBy.map((k) => (
                <li key={k}>
                  <Link className="font-mono text-sm underline" href={`${flagBase}/${k}`}>
                    {k}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <ReviewPanel<Segment>
        open={review !== undefined}
        onOpenChange={(o) => !o && setReview(undefined)}
        what={`segment ${ns}/${segmentKey}`}
        org={org.slug}
        env={envKey}
        base={base}
        after={review === 'delete' ? undefined : draft}
        isProtected={isProtected}
        defaultMessage={`${review === 'delete' ? 'Delete' : base.value ? 'Update' : 'Create'} segment ${ns}/${segmentKey}`}
        diff={(a, b) =>
          a === undefined && b !== undefined ? diffValues({}, b) : diffSegment(a, b)
        }
        yaml={(v) => yaml.reviewYaml(v) ?? segmentYaml(ns, v)}
        textChanged={review !== 'delete' && yaml.textChanged}
        write={(message, at) =>
          review === 'delete'
            ? deleteSegment(org.slug, envKey, ns, segmentKey, { message, ...at })
            : yaml.textToSave !== undefined
              ? putSource(org.slug, envKey, ns, 'segments', segmentKey, yaml.textToSave, {
                  message,
                  ...at,
                })
              : putSegment(org.slug, envKey, ns, parsed.success ? parsed.data : draft, {
                  message,
                  ...at,
                })
        }
        reload={async () => {
          const r = await segments.refetch();
          if (!r.data) throw r.error ?? new Error('could not reload the segment');
          return {
            revision: r.data.revision,
            value: r.data.segments.find((s) => s.key === segmentKey),
          };
        }}
        onReapply={(latest) => {
          if (review !== 'delete') setDraft(reapply(base.value, draft, latest.value));
          setBase(latest);
        }}
        onCommitted={(c) => {
          void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
          if (c.proposalId) {
            setDraft(base.value ?? draft);
            return;
          }
          toast.success(review === 'delete' ? 'Segment deleted' : 'Committed');
          if (review === 'delete') {
            router.push(listHref);
            return;
          }
          setBase({ revision: c.revision, value: draft });
          if (isNew)
            router.replace(`/orgs/${org.slug}/environments/${envKey}/segments/${ns}/${segmentKey}`);
        }}
      />
    </div>
  );
}
