'use client';
import { useRef } from 'react';
import type { Diagnostic } from '@switchyard/flags';

/**
 * A plain textarea with a line-number gutter (no editor dependency); errors are listed with their
 * line and column, and each one moves the caret there. `firstLine` numbers the gutter (and reads
 * error lines) as lines of the file the text was taken from.
 */
export function YamlEditor({
  id,
  label,
  value,
  errors,
  onChange,
  firstLine = 1,
}: {
  id: string;
  label: string;
  value: string;
  errors: readonly Diagnostic[];
  onChange: (text: string) => void;
  firstLine?: number;
}) {
  const offset = firstLine - 1;
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n').length;
  const bad = new Set(errors.map((e) => e.line));
  const goTo = (fileLine = firstLine, column = 1) => {
    const el = area.current;
    if (!el) return;
    const line = Math.max(fileLine - offset, 1);
    const before =
      value
        .split('\n')
        .slice(0, line - 1)
        .join('\n').length + (line > 1 ? 1 : 0);
    el.focus();
    el.setSelectionRange(before + column - 1, before + column - 1);
  };
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex max-h-[32rem] overflow-hidden rounded-md border bg-muted/40 font-mono text-xs leading-5">
        <div
          ref={gutter}
          aria-hidden="true"
          className="overflow-hidden border-r px-2 py-2 text-right text-muted-foreground select-none"
        >
          {Array.from({ length: lines }, (_, i) => (
            <div
              key={i}
              className={bad.has(i + 1 + offset) ? 'font-bold text-destructive' : undefined}
            >
              {i + 1 + offset}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          id={id}
          value={value}
          spellCheck={false}
          wrap="off"
          rows={Math.max(10, lines)}
          aria-invalid={errors.length > 0 ? true : undefined}
          aria-describedby={errors.length > 0 ? `${id}-errors` : undefined}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onChange={(e) => onChange(e.target.value)}
          className="flex-1 resize-none overflow-auto bg-transparent px-3 py-2 leading-5 focus-visible:outline-none"
        />
      </div>
      {errors.length > 0 && (
        <ul
          id={`${id}-errors`}
          role="alert"
          className="flex flex-col gap-1 text-sm text-destructive"
        >
          {errors.map((e, i) => (
            <li key={i}>
              <button
                type="button"
                className="text-left underline-offset-2 hover:underline"
                onClick={() => goTo(e.line, e.column)}
              >
                {e.line !== undefined ? `Line ${e.line}, column ${e.column ?? 1}: ` : ''}
                {e.path ? `${e.path}: ` : ''}
                {e.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
