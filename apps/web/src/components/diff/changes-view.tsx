'use client';
import { useId, useState } from 'react';
import type { EntityChange } from '@switchyard/flags';
import { Badge } from '../ui/badge';
import { FieldDiffView } from './field-diff-view';
import { PatchView } from './patch-view';

const STATUS_VARIANT = { added: 'success', removed: 'destructive', modified: 'warning' } as const;

/** Field-level changes per flag, segment and namespace, each as the review panel shows them. */
export function EntityChangesView({
  changes,
  label,
}: {
  changes: readonly EntityChange[];
  label: string;
}) {
  if (changes.length === 0)
    return <p className="text-sm text-muted-foreground">No flag or segment changes.</p>;
  return (
    <ul aria-label={label} className="flex flex-col gap-4">
      {changes.map((c) => {
        const name = `${c.kind} ${c.namespace === c.key && c.kind === 'namespace' ? c.key : `${c.namespace}/${c.key}`}`;
        return (
          <li
            key={`${c.namespace}/${c.kind}/${c.key}`}
            className="flex flex-col gap-1"
            data-testid="entity-change"
          >
            <h3 className="flex items-center gap-2 text-sm font-semibold">
              <span className="font-mono">{name}</span>
              <Badge variant={STATUS_VARIANT[c.status]}>{c.status}</Badge>
            </h3>
            <FieldDiffView changes={c.changes} label={`Changed fields of ${name}`} />
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The changes of a proposal or promotion: field-level per flag and segment by default, the unified
 * YAML patch as the second tab. Without field-level changes (a side did not load) only the patch.
 */
export function ChangesTabs({
  changes,
  patch,
  label,
}: {
  changes: readonly EntityChange[] | undefined;
  patch: string;
  label: string;
}) {
  const id = useId();
  const [tab, setTab] = useState<'fields' | 'patch'>(changes ? 'fields' : 'patch');
  const tabs = changes ? (['fields', 'patch'] as const) : (['patch'] as const);
  return (
    <div className="flex flex-col gap-2">
      <div role="tablist" aria-label="Show changes as" className="flex gap-1">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`${id}-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`${id}-panel-${t}`}
            onClick={() => setTab(t)}
            className={
              tab === t
                ? 'rounded-md bg-secondary px-3 py-1.5 text-sm font-medium'
                : 'rounded-md px-3 py-1.5 text-sm text-muted-foreground hover:bg-accent'
            }
          >
            {t === 'fields' ? 'Fields' : 'YAML patch'}
          </button>
        ))}
      </div>
      <div id={`${id}-panel-${tab}`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`}>
        {tab === 'fields' && changes ? (
          <EntityChangesView changes={changes} label={label} />
        ) : (
          <PatchView patch={patch} label={label} />
        )}
      </div>
    </div>
  );
}
