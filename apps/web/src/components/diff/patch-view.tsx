/** A unified patch, coloured by line. */
export function PatchView({ patch, label }: { patch: string; label: string }) {
  if (patch.trim() === '') return <p className="text-sm text-muted-foreground">No changes.</p>;
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-96 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs"
    >
      {patch.split('\n').map((line, i) => (
        <div
          key={i}
          className={
            line.startsWith('+') && !line.startsWith('+++')
              ? 'text-success'
              : line.startsWith('-') && !line.startsWith('---')
                ? 'text-destructive'
                : undefined
          }
        >
          {line || ' '}
        </div>
      ))}
    </pre>
  );
}
