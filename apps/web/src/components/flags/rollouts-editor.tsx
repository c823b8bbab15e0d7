'use client';
import { PlusIcon } from 'lucide-react';
import type { Rollout, Segment } from '@switchyard/flags';
import { Button } from '@/components/ui/button';
import { Input, Label, NativeSelect } from '@/components/ui/input';
import { ReorderList } from './reorder-list';
import { SegmentPicker } from './segment-picker';

/** Rollouts of a boolean flag: by segment or by percentage threshold; the first match decides. */
export function RolloutsEditor({
  rollouts,
  segments,
  onChange,
}: {
  rollouts: Rollout[];
  segments: readonly Segment[];
  onChange: (r: Rollout[]) => void;
}) {
  const set = (i: number, r: Rollout) => onChange(rollouts.map((x, j) => (j === i ? r : x)));
  return (
    <section aria-labelledby="rollouts-h" className="flex flex-col gap-3">
      <h2 id="rollouts-h" className="font-semibold">
        Rollouts
      </h2>
      <ReorderList
        items={rollouts}
        noun="Rollout"
        onChange={onChange}
        render={(r, i) => {
          const value = r.segment?.value ?? r.threshold?.value ?? false;
          return (
            <div className="flex flex-col gap-3">
              {r.threshold ? (
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor={`rollout-${i}-pct`}>Rollout {i + 1} percentage</Label>
                  <Input
                    id={`rollout-${i}-pct`}
                    type="number"
                    min={0}
                    max={100}
                    step="any"
                    className="w-28"
                    value={r.threshold.percentage}
                    onChange={(e) =>
                      set(i, {
                        ...r,
                        threshold: { ...r.threshold!, percentage: Number(e.target.value) },
                      })
                    }
                  />
                </div>
              ) : (
                <SegmentPicker
                  id={`rollout-${i}`}
                  value={r.segment!}
                  segments={segments}
                  onChange={(ref) => set(i, { ...r, segment: { ...ref, value } })}
                />
              )}
              <div className="flex items-center gap-2 text-sm">
                <Label htmlFor={`rollout-${i}-value`}>Rollout {i + 1} answers</Label>
                <NativeSelect
                  id={`rollout-${i}-value`}
                  className="w-auto"
                  value={String(value)}
                  onChange={(e) => {
                    const v = e.target.value === 'true';
                    set(
                      i,
                      r.threshold
                        ? { ...r, threshold: { ...r.threshold, value: v } }
                        : { ...r, segment: { ...r.segment!, value: v } },
                    );
                  }}
                >
                  <option value="true">true</option>
                  <option value="false">false</option>
                </NativeSelect>
              </div>
            </div>
          );
        }}
      />
      <div className="flex gap-2">
        <Button
          type="button"
          variant="outline"
          onClick={() =>
            onChange([
              ...rollouts,
              { description: undefined, threshold: { percentage: 50, value: true } },
            ])
          }
        >
          <PlusIcon aria-hidden="true" /> Add threshold rollout
        </Button>
        <Button
          type="button"
          variant="outline"
          onClick={() =>
            onChange([
              ...rollouts,
              {
                description: undefined,
                segment: { keys: [], operator: 'OR_SEGMENT_OPERATOR', value: true },
              },
            ])
          }
        >
          <PlusIcon aria-hidden="true" /> Add segment rollout
        </Button>
      </div>
    </section>
  );
}
