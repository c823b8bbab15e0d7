'use client';
import { useEffect, useState } from 'react';
import { FieldError } from '@/components/states';
import { Label, Textarea } from '@/components/ui/input';

/**
 * A JSON editor for attachments and metadata: the text is the user's, the value changes only when
 * it parses to an object (or a list where allowed); empty means "none".
 */
export function JsonField({
  id,
  label,
  value,
  allowList = false,
  onChange,
  onValidity,
}: {
  id: string;
  label: string;
  value: unknown;
  allowList?: boolean;
  onChange: (value: never) => void;
  onValidity: (error: string | undefined) => void;
}) {
  const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));
  const [text, setText] = useState(() => show(value));
  const [error, setError] = useState<string>();
  // A change from elsewhere (the YAML tab, a re-apply) replaces the text unless it means the same.
  useEffect(() => {
    setText((t) => {
      try {
        if (t.trim() !== '' && JSON.stringify(JSON.parse(t)) === JSON.stringify(value)) return t;
      } catch {
        // Invalid text being typed: keep it.
        if (value !== undefined) return t;
      }
      return t.trim() === '' && value === undefined ? t : show(value);
    });
  }, [value]);
  const update = (t: string) => {
    setText(t);
    let message: string | undefined;
    if (t.trim() === '') onChange(undefined as never);
    else {
      try {
        const v: unknown = JSON.parse(t);
        if (typeof v !== 'object' || v === null || (!allowList && Array.isArray(v)))
          message = allowList ? 'Must be a JSON object or list.' : 'Must be a JSON object.';
        else onChange(v as never);
      } catch (e) {
        message = `Not valid JSON: ${(e as Error).message}`;
      }
    }
    setError(message);
    onValidity(message);
  };
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Textarea
        id={id}
        value={text}
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        spellCheck={false}
        className="font-mono text-xs"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => update(e.target.value)}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
