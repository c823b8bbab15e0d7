'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { ChevronLeftIcon, HistoryIcon, Trash2Icon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { diffFlag, diffValues, flagYaml, type Flag } from '@switchyard/flags';
import { useEnvironments } from '@/components/environments/environment-list';
import { useEnvironmentEvents } from '@/lib/live';
import { can, useOrg } from '@/components/org-context';
import { ErrorState, LoadingRows } from '@/components/states';
import { ScheduledChanges } from '@/components/schedules/scheduled-changes';
import { scheduleFlag } from '@/components/schedules/schedule-api';
import { Button } from '@/components/ui/button';
import { EnvironmentSwitcher } from './environment-switcher';
import { deleteFlag, fetchFlag, flagKeys, putFlag, useSegments } from './flag-api';
import { FlagForm } from './flag-form';
import { ReviewPanel, type Versioned } from './review-panel';
import { useUnsavedChanges } from './unsaved-changes';
import { distributionTotal, reapply, validateFlag, validateFlagYaml } from './validate';
import { validateFlagSource } from './source-text';
import { putSource, useYamlSource } from './use-yaml-source';
import { YamlEditor } from './yaml-editor';
import { UsageChart } from '@/components/insights/usage-chart';

function emptyFlag(key: string, type: string | null): Flag {
  return {
    key,
    name: key,
    description: undefined,
    enabled: false,
    type: type === 'BOOLEAN_FLAG_TYPE' ? 'BOOLEAN_FLAG_TYPE' : 'VARIANT_FLAG_TYPE',
    metadata: undefined,
    variants: [],
    rules: [],
    rollouts: [],
  };
}

/** `/orgs/{org}/environments/{env}/flags/{ns}/{key}`: the flag's form and YAML, saved via review. */
export function FlagPage({ envKey, ns, flagKey }: { envKey: string; ns: string; flagKey: string }) {
  const org = useOrg();
  const queryClient = useQueryClient();
  const router = useRouter();
  const newType = useSearchParams().get('new');
  const envs = useEnvironments(org.slug);
  const isProtected = envs.data?.items.find((e) => e.key === envKey)?.protected ?? false;
  const segments = useSegments(org.slug, envKey, ns);
  const loaded = useQuery({
    queryKey: [...flagKeys.env(org.slug, envKey), 'flag', ns, flagKey],
    queryFn: () => fetchFlag(org.slug, envKey, ns, flagKey),
  });
  const [base, setBase] = useState<Versioned<Flag>>();
  const [draft, setDraft] = useState<Flag>();
  const [tab, setTab] = useState<'form' | 'yaml'>('form');
  const [yamlText, setYamlText] = useState('');
  const [yamlErrors, setYamlErrors] = useState<ReturnType<typeof validateFlagYaml>['errors']>([]);
  const [jsonErrors, setJsonErrors] = useState<Record<string, string>>({});
  const [review, setReview] = useState<'save' | 'delete'>();

  useEffect(() => {
    if (!loaded.data || base) return;
    const value = loaded.data.flag;
    setBase({ revision: loaded.data.revision, value });
    setDraft(value ?? (newType ? emptyFlag(flagKey, newType) : undefined));
  }, [loaded.data, base, newType, flagKey]);

  const segs = segments.data?.segments ?? [];
  // An existing flag's YAML tab shows (and saves) its lines exactly as stored in git.
  const yaml = useYamlSource<Flag>({
    org: org.slug,
    env: envKey,
    ns,
    kind: 'flags',
    objectKey: flagKey,
    base,
    draft,
    active: tab === 'yaml',
    validate: (src, text) => {
      const r = validateFlagSource(ns, flagKey, src, text, segs);
      return { value: r.flag, errors: r.errors };
    },
    onValue: setDraft,
  });
  const dirty =
    draft !== undefined &&
    (JSON.stringify(draft) !== JSON.stringify(base?.value) || yaml.textChanged);
  useUnsavedChanges(dirty);
  // Someone else committed to this environment: a clean page follows the new revision, a page
  // with unsaved edits keeps them (the review panel's 409 flow re-applies them on top) and says so.
  useEnvironmentEvents(
    org.slug,
    envKey,
    (commit) => {
      if (!base || commit.revision === base.revision) return;
      void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
      const who = commit.author?.name ?? 'Someone';
      const touched =
        commit.changedFlags === undefined ||
        commit.changedFlags.some((f) => f.namespace === ns && f.key === flagKey);
      if (!touched) {
        toast.info(`${who} committed to ${envKey}: ${commit.message}`);
        return;
      }
      if (dirty) {
        // Longer than a notice: it concerns the edit in progress.
        toast.warning(
          `${who} changed this flag (${commit.message}). Saving shows what changed and re-applies your edit.`,
          { duration: 10_000 },
        );
        return;
      }
      void fetchFlag(org.slug, envKey, ns, flagKey).then((latest) => {
        setBase({ revision: latest.revision, value: latest.flag });
        setDraft(latest.flag);
        toast.info(`${who} changed this flag: ${commit.message}`);
      });
    },
    () => void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) }),
  );
  const canWrite = can(org.role, 'EDITOR');

  if (loaded.isError)
    return <ErrorState error={loaded.error} retry={() => void loaded.refetch()} />;
  if (!base || (draft === undefined && base.value !== undefined))
    return <LoadingRows rows={4} label="Loading the flag" />;
  const listHref = `/orgs/${org.slug}/environments/${envKey}/flags?ns=${ns}`;
  if (draft === undefined)
    return (
      <ErrorState
        error={new Error(`Flag "${flagKey}" does not exist in namespace "${ns}".`)}
        retry={() => router.push(listHref)}
      />
    );

  const formErrors = validateFlag(ns, draft, segs);
  // Splits must add up to 100% before a save (the rules editor shows each total live).
  const stored = base.value !== undefined && yaml.loadError === undefined;
  const blocked =
    Object.values(jsonErrors).some(Boolean) ||
    (tab === 'yaml' && !stored && yamlErrors.length > 0) ||
    yaml.errors.length > 0 ||
    draft.rules.some(
      (r) => r.distributions.length > 0 && distributionTotal(r.distributions) !== 100,
    );
  const showYaml = () => {
    setYamlText(flagYaml(ns, draft));
    setYamlErrors([]);
    setTab('yaml');
  };
  const editYaml = (text: string) => {
    setYamlText(text);
    const r = validateFlagYaml(ns, flagKey, text, segs);
    setYamlErrors(r.errors);
    if (r.flag) setDraft(r.flag);
  };
  const reload = async (): Promise<Versioned<Flag>> => {
    const r = await fetchFlag(org.slug, envKey, ns, flagKey);
    return { revision: r.revision, value: r.flag };
  };

  return (
    <div className="flex flex-col gap-4">
      <EnvironmentSwitcher org={org.slug} env={envKey} section="flags" />
      <Link href={listHref} className="flex items-center gap-1 text-sm text-muted-foreground">
        <ChevronLeftIcon className="size-4" aria-hidden="true" /> Flags of {ns}
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">
          {draft.name} <span className="font-mono text-base text-muted-foreground">{flagKey}</span>
        </h1>
        <div className="flex items-center gap-2">
          {dirty && <span className="text-sm text-muted-foreground">Unsaved changes</span>}
          {base.value && (
            <Button variant="outline" asChild>
              <Link
                href={`/orgs/${org.slug}/environments/${envKey}/flags/${ns}/${flagKey}/history`}
              >
                <HistoryIcon aria-hidden="true" /> History
              </Link>
            </Button>
          )}
          {canWrite && base.value && (
            <Button variant="outline" onClick={() => setReview('delete')}>
              <Trash2Icon aria-hidden="true" /> Delete
            </Button>
          )}
          {canWrite && (
            <Button
              disabled={!dirty || blocked || formErrors.length > 0}
              onClick={() => setReview('save')}
            >
              Review and save
            </Button>
          )}
        </div>
      </div>
      {base.value && <ScheduledChanges envKey={envKey} ns={ns} flag={flagKey} />}
      {base?.value && <UsageChart envKey={envKey} ns={ns} flagKey={flagKey} />}
      <div role="tablist" aria-label="Editor" className="flex gap-1">
        {(['form', 'yaml'] as const).map((t) => (
          <button
            key={t}
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            onClick={() => (t === 'yaml' ? showYaml() : setTab('form'))}
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
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'form' ? (
          <FlagForm
            flag={draft}
            segments={segs}
            onChange={setDraft}
            onValidity={(id, e) => setJsonErrors((m) => ({ ...m, [id]: e ?? '' }))}
          />
        ) : stored ? (
          yaml.source && yaml.text !== undefined ? (
            <YamlEditor
              id="flag-yaml"
              label={`${flagKey} as stored in ${yaml.source.file} from line ${yaml.source.startLine} (validated as you type)`}
              value={yaml.text}
              errors={yaml.errors}
              onChange={yaml.edit}
              firstLine={yaml.source.startLine}
            />
          ) : (
            <LoadingRows rows={4} label="Loading the stored YAML" />
          )
        ) : (
          <>
            {yaml.loadError && (
              <p className="text-sm text-muted-foreground">
                {yaml.loadError} Showing the flag in its canonical YAML instead.
              </p>
            )}
            <YamlEditor
              id="flag-yaml"
              label={`${flagKey} as YAML (validated as you type)`}
              value={yamlText}
              errors={yamlErrors}
              onChange={editYaml}
            />
          </>
        )}
      </div>
      {formErrors.length > 0 && tab === 'form' && (
        <ul role="alert" aria-label="Problems" className="text-sm text-destructive">
          {formErrors.map((e, i) => (
            <li key={i}>
              {e.path ? `${e.path.replace(/^flags\[0\]\.?/, '') || 'flag'}: ` : ''}
              {e.message}
            </li>
          ))}
        </ul>
      )}
      <ReviewPanel<Flag>
        open={review !== undefined}
        onOpenChange={(o) => !o && setReview(undefined)}
        what={`flag ${ns}/${flagKey}`}
        org={org.slug}
        env={envKey}
        base={base}
        after={review === 'delete' ? undefined : draft}
        isProtected={isProtected}
        defaultMessage={
          review === 'delete'
            ? `Delete flag ${ns}/${flagKey}`
            : base.value
              ? `Update flag ${ns}/${flagKey}`
              : `Create flag ${ns}/${flagKey}`
        }
        diff={(a, b) => (a === undefined && b !== undefined ? diffValues({}, b) : diffFlag(a, b))}
        yaml={(v) => yaml.reviewYaml(v) ?? flagYaml(ns, v)}
        textChanged={review !== 'delete' && yaml.textChanged}
        write={(message, at) =>
          review === 'delete'
            ? deleteFlag(org.slug, envKey, ns, flagKey, { message, ...at })
            : yaml.textToSave !== undefined
              ? putSource(org.slug, envKey, ns, 'flags', flagKey, yaml.textToSave, {
                  message,
                  ...at,
                })
              : putFlag(org.slug, envKey, ns, draft, { message, ...at })
        }
        schedule={(message, at) =>
          scheduleFlag(org.slug, envKey, ns, flagKey, review === 'delete' ? undefined : draft, {
            message,
            revision: at.revision,
            at: at.runAt,
          })
        }
        onScheduled={() => {
          void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
          toast.success('Change scheduled');
          setDraft(base.value ?? draft);
        }}
        reload={reload}
        onReapply={(latest) => {
          setDraft(review === 'delete' ? draft : reapply(base.value, draft, latest.value));
          setBase(latest);
        }}
        onCommitted={(c) => {
          void queryClient.invalidateQueries({ queryKey: flagKeys.env(org.slug, envKey) });
          if (c.proposalId) {
            setDraft(base.value ?? draft);
            return;
          }
          toast.success(review === 'delete' ? 'Flag deleted' : 'Committed');
          if (review === 'delete') {
            setBase({ revision: c.revision, value: undefined });
            router.push(listHref);
            return;
          }
          setBase({ revision: c.revision, value: draft });
          if (newType)
            router.replace(`/orgs/${org.slug}/environments/${envKey}/flags/${ns}/${flagKey}`);
        }}
      />
    </div>
  );
}
