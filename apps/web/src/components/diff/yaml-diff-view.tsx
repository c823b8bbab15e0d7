import { diffHunks, diffLines } from '@switchyard/flags';
import { cn } from '@/lib/utils';

/**
 * A unified line diff of two texts (YAML as stored), with old and new line numbers.
 * Changed lines carry a text marker (+/-) besides their colour, for screen readers and for
 * anyone who cannot tell the colours apart.
 */
export function YamlDiffView({
  before,
  after,
  context = 3,
  label = 'YAML diff',
}: {
  before: string;
  after: string;
  context?: number;
  label?: string;
}) {
  const hunks = diffHunks(diffLines(before, after), context);
  if (hunks.length === 0) return <p className="text-sm text-muted-foreground">No changes.</p>;
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="max-h-96 overflow-auto rounded-md border font-mono text-xs"
    >
      {hunks.map((h, i) => (
        <div key={i}>
          <div className="bg-muted px-2 py-0.5 text-muted-foreground">
            @@ -{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
          </div>
          {h.lines.map((l, j) => (
            <div
              key={j}
              data-op={l.op}
              className={cn(
                'grid grid-cols-[3rem_3rem_1rem_1fr] whitespace-pre',
                l.op === 'insert' && 'bg-success/10',
                l.op === 'delete' && 'bg-destructive/10',
              )}
            >
              <span className="pr-2 text-right text-muted-foreground select-none">
                {l.oldLine ?? ''}
              </span>
              <span className="pr-2 text-right text-muted-foreground select-none">
                {l.newLine ?? ''}
              </span>
              <span aria-hidden="true">
                {l.op === 'insert' ? '+' : l.op === 'delete' ? '-' : ' '}
              </span>
              <span>
                {l.op === 'insert' && <span className="sr-only">added: </span>}
                {l.op === 'delete' && <span className="sr-only">removed: </span>}
                {l.text}
              </span>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
