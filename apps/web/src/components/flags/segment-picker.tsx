'use client';
import type { Segment, SegmentRef } from '@switchyard/flags';
import { NativeSelect } from '@/components/ui/input';

/** Chooses the segments of a rule or rollout and whether all (AND) or any (OR) must match. */
export function SegmentPicker({
  id,
  value,
  segments,
  onChange,
}: {
  id: string;
  value: SegmentRef;
  segments: readonly Segment[];
  onChange: (ref: SegmentRef) => void;
}) {
  // Keys the flag names but the namespace lacks stay visible so they can be unticked.
  const keys = [...new Set([...segments.map((s) => s.key), ...value.keys])];
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">Segments</legend>
      {keys.length === 0 && (
        <p className="text-sm text-muted-foreground">No segments in this namespace yet.</p>
      )}
      <div className="flex flex-wrap gap-3">
        {keys.map((k) => (
          <label key={k} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={value.keys.includes(k)}
              onChange={(e) =>
                onChange({
                  ...value,
                  keys: e.target.checked ? [...value.keys, k] : value.keys.filter((x) => x !== k),
                })
              }
            />
            {segments.find((s) => s.key === k)?.name ?? `${k} (missing)`}
          </label>
        ))}
      </div>
      {value.keys.length > 1 && (
        <div className="flex items-center gap-2 text-sm">
          <label htmlFor={`${id}-op`}>Match</label>
          <NativeSelect
            id={`${id}-op`}
            className="w-auto"
            value={value.operator}
            onChange={(e) =>
              onChange({ ...value, operator: e.target.value as SegmentRef['operator'] })
            }
          >
            <option value="OR_SEGMENT_OPERATOR">any segment (OR)</option>
            <option value="AND_SEGMENT_OPERATOR">all segments (AND)</option>
          </NativeSelect>
        </div>
      )}
    </fieldset>
  );
}
