'use client';
import { CONSTRAINT_TYPES, OPERATORS, type Constraint } from '@switchyard/flags';
import { Input, Label, NativeSelect, Textarea } from '@/components/ui/input';

const TYPE_LABEL: Record<Constraint['type'], string> = {
  STRING_COMPARISON_TYPE: 'String',
  NUMBER_COMPARISON_TYPE: 'Number',
  BOOLEAN_COMPARISON_TYPE: 'Boolean',
  DATETIME_COMPARISON_TYPE: 'Date-time',
  ENTITY_ID_COMPARISON_TYPE: 'Entity id',
};
/** Operators that compare with nothing (no value field). */
const NO_VALUE = new Set(['empty', 'notempty', 'present', 'notpresent', 'true', 'false']);
const LIST = new Set(['isoneof', 'isnotoneof']);

/** A list value from pasted or uploaded text: one item per line or comma, blanks dropped. */
export function parseList(text: string, numbers: boolean): Array<string | number> {
  const items = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return numbers ? items.map(Number) : items;
}

/** One constraint: type, property, operator and (when the operator needs one) a value or list. */
export function ConstraintEditor({
  id,
  constraint: c,
  onChange,
}: {
  id: string;
  constraint: Constraint;
  onChange: (c: Constraint) => void;
}) {
  const ops = OPERATORS[c.type];
  const numbers = c.type === 'NUMBER_COMPARISON_TYPE';
  const listText = Array.isArray(c.value) ? c.value.join('\n') : (c.value ?? '');
  return (
    <div className="grid gap-2 sm:grid-cols-4">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${id}-type`}>Type</Label>
        <NativeSelect
          id={`${id}-type`}
          value={c.type}
          onChange={(e) => {
            const type = e.target.value as Constraint['type'];
            const operator = OPERATORS[type].includes(c.operator)
              ? c.operator
              : OPERATORS[type][0]!;
            onChange({ ...c, type, operator });
          }}
        >
          {CONSTRAINT_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABEL[t]}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${id}-property`}>Property</Label>
        <Input
          id={`${id}-property`}
          value={c.property}
          onChange={(e) => onChange({ ...c, property: e.target.value })}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${id}-operator`}>Operator</Label>
        <NativeSelect
          id={`${id}-operator`}
          value={c.operator}
          onChange={(e) => {
            const operator = e.target.value;
            const value = NO_VALUE.has(operator)
              ? undefined
              : LIST.has(operator) && !Array.isArray(c.value)
                ? parseList(c.value ?? '', numbers)
                : !LIST.has(operator) && Array.isArray(c.value)
                  ? c.value.join(',')
                  : c.value;
            onChange({ ...c, operator, value });
          }}
        >
          {ops.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </NativeSelect>
      </div>
      {!NO_VALUE.has(c.operator) &&
        (LIST.has(c.operator) ? (
          <div className="flex flex-col gap-1.5 sm:col-span-4">
            <Label htmlFor={`${id}-list`}>
              Values (one per line or comma-separated; paste or upload)
            </Label>
            <Textarea
              id={`${id}-list`}
              rows={4}
              className="font-mono text-xs"
              value={listText}
              onChange={(e) => onChange({ ...c, value: parseList(e.target.value, numbers) })}
            />
            <Label htmlFor={`${id}-upload`} className="text-xs text-muted-foreground">
              Upload a list (.txt or .csv)
            </Label>
            <input
              id={`${id}-upload`}
              type="file"
              accept=".txt,.csv,text/plain,text/csv"
              className="text-xs"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file)
                  void file.text().then((t) => onChange({ ...c, value: parseList(t, numbers) }));
              }}
            />
          </div>
        ) : (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor={`${id}-value`}>Value</Label>
            <Input
              id={`${id}-value`}
              type={numbers ? 'number' : 'text'}
              placeholder={
                c.type === 'DATETIME_COMPARISON_TYPE' ? '2026-01-31T00:00:00Z' : undefined
              }
              value={typeof c.value === 'string' ? c.value : ''}
              onChange={(e) => onChange({ ...c, value: e.target.value })}
            />
          </div>
        ))}
    </div>
  );
}
