'use client';
import type { Flag, Segment } from '@switchyard/flags';
import { Input, Label, Textarea } from '@/components/ui/input';
import { JsonField } from './json-field';
import { RolloutsEditor } from './rollouts-editor';
import { RulesEditor } from './rules-editor';
import { VariantsEditor } from './variants-editor';

/** The flag as a form: name, description, enabled, metadata, then variants and rules or rollouts. */
export function FlagForm({
  flag,
  segments,
  onChange,
  onValidity,
}: {
  flag: Flag;
  segments: readonly Segment[];
  onChange: (f: Flag) => void;
  onValidity: (id: string, error: string | undefined) => void;
}) {
  const set = (patch: Partial<Flag>) => onChange({ ...flag, ...patch });
  return (
    <div className="flex flex-col gap-6">
      <section aria-label="Basics" className="grid gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="flag-name">Name</Label>
          <Input id="flag-name" value={flag.name} onChange={(e) => set({ name: e.target.value })} />
        </div>
        <div className="flex items-center gap-3 pt-6">
          <button
            type="button"
            role="switch"
            id="flag-enabled"
            aria-checked={flag.enabled}
            aria-label="Enabled"
            onClick={() => set({ enabled: !flag.enabled })}
            className={
              'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring ' +
              (flag.enabled ? 'bg-primary' : 'bg-input')
            }
          >
            <span
              className={
                'inline-block size-5 rounded-full bg-background shadow transition-transform ' +
                (flag.enabled ? 'translate-x-5' : 'translate-x-0')
              }
            />
          </button>
          <span className="text-sm" aria-hidden="true">
            {flag.enabled ? 'Enabled' : 'Disabled'}
          </span>
          <span className="ml-auto text-sm text-muted-foreground">
            {flag.type === 'BOOLEAN_FLAG_TYPE' ? 'Boolean flag' : 'Variant flag'}
          </span>
        </div>
        <div className="flex flex-col gap-1.5 sm:col-span-2">
          <Label htmlFor="flag-description">Description</Label>
          <Textarea
            id="flag-description"
            rows={2}
            value={flag.description ?? ''}
            onChange={(e) => set({ description: e.target.value || undefined })}
          />
        </div>
        <div className="sm:col-span-2">
          <JsonField
            id="flag-metadata-json"
            label="Metadata (JSON object)"
            value={flag.metadata}
            onChange={(m) => set({ metadata: m })}
            onValidity={(e) => onValidity('metadata', e)}
          />
        </div>
      </section>
      {flag.type === 'VARIANT_FLAG_TYPE' ? (
        <>
          <VariantsEditor
            variants={flag.variants}
            onChange={(variants) => set({ variants })}
            onValidity={onValidity}
          />
          <RulesEditor
            rules={flag.rules}
            variants={flag.variants}
            segments={segments}
            onChange={(rules) => set({ rules })}
          />
        </>
      ) : (
        <RolloutsEditor
          rollouts={flag.rollouts}
          segments={segments}
          onChange={(rollouts) => set({ rollouts })}
        />
      )}
    </div>
  );
}
