'use client';
import { PlusIcon, Trash2Icon } from 'lucide-react';
import type { Variant } from '@switchyard/flags';
import { Button } from '@/components/ui/button';
import { Input, Label } from '@/components/ui/input';
import { JsonField } from './json-field';

/** Variants with their JSON attachments, and which one is the default. */
export function VariantsEditor({
  variants,
  onChange,
  onValidity,
}: {
  variants: Variant[];
  onChange: (v: Variant[]) => void;
  onValidity: (id: string, error: string | undefined) => void;
}) {
  const set = (i: number, patch: Partial<Variant>) =>
    onChange(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const defaultKey = variants.find((v) => v.default)?.key ?? '';
  return (
    <section aria-labelledby="variants-h" className="flex flex-col gap-3">
      <h2 id="variants-h" className="font-semibold">
        Variants
      </h2>
      {variants.map((v, i) => (
        <div
          key={i}
          className="grid gap-2 rounded-lg border p-3 sm:grid-cols-2"
          data-testid={`variant-${i}`}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`variant-${i}-key`}>Variant {i + 1} key</Label>
            <Input
              id={`variant-${i}-key`}
              value={v.key}
              onChange={(e) => set(i, { key: e.target.value })}
            />
          </div>
          <div className="flex items-end gap-2">
            <div className="flex flex-1 flex-col gap-1.5">
              <Label htmlFor={`variant-${i}-name`}>Variant {i + 1} name</Label>
              <Input
                id={`variant-${i}-name`}
                value={v.name ?? ''}
                onChange={(e) => set(i, { name: e.target.value || undefined })}
              />
            </div>
            <Button
              type="button"
              variant="ghost"
              size="icon"
              aria-label={`Remove variant ${v.key || i + 1}`}
              onClick={() => onChange(variants.filter((_, j) => j !== i))}
            >
              <Trash2Icon aria-hidden="true" />
            </Button>
          </div>
          <div className="sm:col-span-2">
            <JsonField
              id={`variant-${i}-attachment`}
              label={`Variant ${i + 1} attachment (JSON)`}
              value={v.attachment}
              allowList
              onChange={(a) => set(i, { attachment: a })}
              onValidity={(e) => onValidity(`variant-${i}`, e)}
            />
          </div>
        </div>
      ))}
      <div className="flex flex-wrap items-end gap-3">
        <Button
          type="button"
          variant="outline"
          onClick={() =>
            onChange([...variants, { key: '', description: undefined, attachment: undefined }])
          }
        >
          <PlusIcon aria-hidden="true" /> Add variant
        </Button>
        {variants.length > 0 && (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="default-variant">Default variant</Label>
            <select
              id="default-variant"
              className="h-9 rounded-md border border-input bg-background px-3 text-sm"
              value={defaultKey}
              onChange={(e) =>
                onChange(
                  variants.map((v) => {
                    const { default: _was, ...rest } = v;
                    return v.key === e.target.value ? { ...rest, default: true } : rest;
                  }),
                )
              }
            >
              <option value="">None (no match answers no variant)</option>
              {variants.map((v, i) => (
                <option key={i} value={v.key}>
                  {v.key}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
    </section>
  );
}
