import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, describeError } from './api/errors';

/**
 * Puts each API field violation next to the field it names (`body.<field>`); returns the message
 * for the form as a whole when no field took it.
 */
export function applyApiError<T extends FieldValues>(
  e: unknown,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): string | undefined {
  if (!(e instanceof ApiError)) return describeError(e);
  const byField = e.fieldErrors();
  let placed = false;
  for (const [path, message] of Object.entries(byField)) {
    const field = fields.find(
      (f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`),
    );
    if (field) {
      setError(field as Path<T>, { type: 'server', message });
      placed = true;
    }
  }
  // AlreadyExists names no field but is about the key the user typed.
  if (!placed && e.body.code === 'AlreadyExists' && fields.length > 0) {
    setError(fields[0] as Path<T>, { type: 'server', message: e.body.message });
    return undefined;
  }
  return placed ? undefined : describeError(e);
}

/** A fresh Idempotency-Key for one creating request (a retry of the same submit reuses it). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

/** A text field of a submitted form (`''` when missing or a file). */
export function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}
