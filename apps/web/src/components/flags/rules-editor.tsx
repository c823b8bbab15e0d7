'use client';
import { PlusIcon } from 'lucide-react';
import type { Rule, Segment, Variant } from '@switchyard/flags';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';
import { ReorderList } from './reorder-list';
import { SegmentPicker } from './segment-picker';
import { distributionTotal } from './validate';

/** One rule's split of traffic over the variants, with the running total. */
function Distributions({
  id,
  rule,
  variants,
  onChange,
}: {
  id: string;
  rule: Rule;
  variants: readonly Variant[];
  onChange: (r: Rule) => void;
}) {
  const total = distributionTotal(rule.distributions);
  const ok = rule.distributions.length === 0 || total === 100;
  const percent = (key: string) => rule.distributions.find((d) => d.variant === key)?.rollout;
  const setPercent = (key: string, raw: string) => {
    const others = rule.distributions.filter((d) => d.variant !== key);
    const distributions =
      raw === ''
        ? others
        : variants
            .map((v) => v.key)
            .flatMap((k) => {
              if (k === key) return [{ variant: k, rollout: Number(raw) }];
              const d = others.find((o) => o.variant === k);
              return d ? [d] : [];
            });
    onChange({ ...rule, distributions });
  };
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">Distribution</legend>
      <div className="flex flex-wrap gap-3">
        {variants.map((v) => (
          <label key={v.key} className="flex items-center gap-1.5 text-sm">
            <span className="font-mono">{v.key}</span>
            <Input
              type="number"
              min={0}
              max={100}
              step="any"
              className="w-20"
              aria-label={`${id} percentage for ${v.key}`}
              value={percent(v.key) ?? ''}
              onChange={(e) => setPercent(v.key, e.target.value)}
            />
            %
          </label>
        ))}
      </div>
      <p
        role="status"
        className={cn('text-sm', ok ? 'text-muted-foreground' : 'text-destructive')}
        data-testid={`${id}-total`}
      >
        Total {total}%{ok ? '' : ' — must add up to 100%'}
      </p>
    </fieldset>
  );
}

/** Rules of a variant flag: segments, distribution; the first rule that matches decides. */
export function RulesEditor({
  rules,
  variants,
  segments,
  onChange,
}: {
  rules: Rule[];
  variants: readonly Variant[];
  segments: readonly Segment[];
  onChange: (r: Rule[]) => void;
}) {
  return (
    <section aria-labelledby="rules-h" className="flex flex-col gap-3">
      <h2 id="rules-h" className="font-semibold">
        Rules
      </h2>
      <ReorderList
        items={rules}
        noun="Rule"
        onChange={onChange}
        render={(rule, i) => (
          <div className="flex flex-col gap-3">
            <SegmentPicker
              id={`rule-${i}`}
              value={rule.segment}
              segments={segments}
              onChange={(segment) =>
                onChange(rules.map((r, j) => (j === i ? { ...rule, segment } : r)))
              }
            />
            <Distributions
              id={`Rule ${i + 1}`}
              rule={rule}
              variants={variants}
              onChange={(next) => onChange(rules.map((r, j) => (j === i ? next : r)))}
            />
          </div>
        )}
      />
      <Button
        type="button"
        variant="outline"
        className="self-start"
        onClick={() =>
          onChange([
            ...rules,
            { segment: { keys: [], operator: 'OR_SEGMENT_OPERATOR' }, distributions: [] },
          ])
        }
      >
        <PlusIcon aria-hidden="true" /> Add rule
      </Button>
    </section>
  );
}
