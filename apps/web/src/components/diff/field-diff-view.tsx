import { formatFieldPath, type FieldChange } from '@switchyard/flags';
import { Badge } from '../ui/badge';

const KIND_LABEL: Record<FieldChange['kind'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  moved: 'reordered',
};

const KIND_VARIANT = {
  added: 'success',
  removed: 'destructive',
  changed: 'warning',
  moved: 'secondary',
} as const;

/** A value as one short line: strings bare, everything else as compact JSON. */
function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A table of field-level changes: path, what happened, value before and after. */
export function FieldDiffView({
  changes,
  label = 'Changed fields',
}: {
  changes: readonly FieldChange[];
  label?: string;
}) {
  if (changes.length === 0)
    return <p className="text-sm text-muted-foreground">No field changes.</p>;
  return (
    <table className="w-full text-left text-sm" aria-label={label}>
      <thead className="text-xs text-muted-foreground">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">
            Field
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            Change
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            Before
          </th>
          <th scope="col" className="py-1 font-medium">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c, i) => (
          <tr key={i} className="border-t align-top" data-testid="field-change">
            <td className="py-1 pr-3 font-mono text-xs whitespace-nowrap">
              {formatFieldPath(c.path)}
            </td>
            <td className="py-1 pr-3">
              <Badge variant={KIND_VARIANT[c.kind]}>{KIND_LABEL[c.kind]}</Badge>
            </td>
            <td className="py-1 pr-3 font-mono text-xs break-all">
              {c.kind === 'added' ? '—' : <del className="no-underline">{show(c.before)}</del>}
            </td>
            <td className="py-1 font-mono text-xs break-all">
              {c.kind === 'removed' ? '—' : <ins className="no-underline">{show(c.after)}</ins>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
