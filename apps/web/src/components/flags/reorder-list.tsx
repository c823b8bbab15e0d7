'use client';
import { ArrowDownIcon, ArrowUpIcon, GripVerticalIcon, Trash2Icon } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/utils';

/** Moves one item of a list (a new list; the order of rules and rollouts decides evaluation). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/**
 * An ordered list whose items move by drag and drop or, without a mouse, by the up/down buttons
 * (announced in a live region so screen reader users hear the new position).
 */
export function ReorderList<T>({
  items,
  noun,
  onChange,
  render,
}: {
  items: readonly T[];
  noun: string;
  onChange: (items: T[]) => void;
  render: (item: T, index: number) => ReactNode;
}) {
  const [dragging, setDragging] = useState<number>();
  const [announce, setAnnounce] = useState('');
  const moveTo = (from: number, to: number) => {
    onChange(move(items, from, to));
    setAnnounce(`${noun} ${from + 1} moved to position ${to + 1} of ${items.length}`);
  };
  return (
    <>
      <ol className="flex flex-col gap-3" aria-label={`${noun}s`}>
        {items.map((item, i) => (
          <li
            key={i}
            data-testid={`${noun.toLowerCase()}-${i}`}
            onDragOver={(e) => dragging !== undefined && e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging !== undefined && dragging !== i) moveTo(dragging, i);
              setDragging(undefined);
            }}
            className={cn('rounded-lg border p-3', dragging === i && 'opacity-50')}
          >
            <div className="mb-2 flex items-center gap-1">
              <span
                draggable
                onDragStart={() => setDragging(i)}
                onDragEnd={() => setDragging(undefined)}
                className="cursor-grab text-muted-foreground"
                title="Drag to reorder"
              >
                <GripVerticalIcon className="size-4" aria-hidden="true" />
              </span>
              <span className="flex-1 text-sm font-medium">
                {noun} {i + 1}
              </span>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                disabled={i === 0}
                onClick={() => moveTo(i, i - 1)}
                aria-label={`Move ${noun.toLowerCase()} ${i + 1} up`}
              >
                <ArrowUpIcon aria-hidden="true" />
              </Button>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                disabled={i === items.length - 1}
                onClick={() => moveTo(i, i + 1)}
                aria-label={`Move ${noun.toLowerCase()} ${i + 1} down`}
              >
                <ArrowDownIcon aria-hidden="true" />
              </Button>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                onClick={() => {
                  onChange(items.filter((_, j) => j !== i));
                  setAnnounce(`${noun} ${i + 1} removed`);
                }}
                aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`}
              >
                <Trash2Icon aria-hidden="true" />
              </Button>
            </div>
            {render(item, i)}
          </li>
        ))}
      </ol>
      <p className="sr-only" aria-live="polite">
        {announce}
      </p>
    </>
  );
}
