'use client';
import { useState } from 'react';
import { useOrg } from '@/components/org-context';
import { ErrorState, LoadingRows } from '@/components/states';
import { RANGES, ago, useFlagUsage, type RangeKey } from './insights-api';

const W = 640;
const H = 180;
const PAD = { left: 44, right: 12, top: 12, bottom: 24 };
/** Series colours, legible on the light and the dark background. */
const COLOURS = ['#2563eb', '#16a34a', '#d97706', '#db2777', '#7c3aed'];

/**
 * Evaluations of one flag per value over time, as a pure SVG line chart, with a marker at each
 * commit to the flag (author and message in its tooltip and in the list below the chart).
 */
export function UsageChart({
  envKey,
  ns,
  flagKey,
}: {
  envKey: string;
  ns: string;
  flagKey: string;
}) {
  const org = useOrg();
  const [range, setRange] = useState<RangeKey>('24h');
  const usage = useFlagUsage(org.slug, envKey, ns, flagKey, range);
  if (usage.isPending) return <LoadingRows rows={2} label="Loading evaluations" />;
  if (usage.isError) return <ErrorState error={usage.error} />;
  const u = usage.data;
  const from = Date.parse(u.from);
  const to = Date.parse(u.to);
  const step = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[u.granularity];
  const buckets = Math.max(1, Math.ceil((to - from) / step));
  const max = Math.max(1, ...u.series.flatMap((s) => s.points.map((p) => p.count)));
  const x = (t: number) => PAD.left + ((t - from) / (to - from)) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / max) * (H - PAD.top - PAD.bottom);
  const line = (points: Array<{ start: string; count: number }>) => {
    const byStart = new Map(points.map((p) => [Date.parse(p.start), p.count]));
    return Array.from({ length: buckets }, (_, i) => {
      const t = from + i * step;
      return `${i === 0 ? 'M' : 'L'}${x(t + step / 2).toFixed(1)},${y(byStart.get(t) ?? 0).toFixed(1)}`;
    }).join(' ');
  };
  const label = `Evaluations of ${flagKey} in ${envKey} over the last ${range}: ${u.total} in total${
    u.series.length
      ? `; ${u.series.map((s) => `${s.value || '(no variant)'} ${s.total}`).join(', ')}`
      : ''
  }`;
  return (
    <section aria-labelledby="usage-heading" className="flex flex-col gap-2 rounded-xl border p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="usage-heading" className="text-lg font-semibold">
          Evaluations
        </h2>
        <div role="group" aria-label="Range" className="flex gap-1">
          {(Object.keys(RANGES) as RangeKey[]).map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => setRange(r)}
              className="rounded-md border px-2 py-1 text-sm aria-pressed:bg-accent aria-pressed:font-medium"
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full text-muted-foreground"
        data-testid="usage-chart"
      >
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={y(0)}
          y2={y(0)}
          stroke="currentColor"
          strokeOpacity={0.4}
        />
        <text x={PAD.left - 6} y={y(max) + 4} textAnchor="end" fontSize={11} fill="currentColor">
          {max}
        </text>
        <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end" fontSize={11} fill="currentColor">
          0
        </text>
        {u.commits.map((c) => (
          <g key={c.revision} data-testid="commit-marker">
            <title>{`${c.author}: ${c.summary} (${c.revision.slice(0, 8)})`}</title>
            <line
              x1={x(Date.parse(c.time))}
              x2={x(Date.parse(c.time))}
              y1={PAD.top}
              y2={y(0)}
              stroke="currentColor"
              strokeDasharray="3 3"
            />
            <circle cx={x(Date.parse(c.time))} cy={PAD.top} r={4} fill="currentColor" />
          </g>
        ))}
        {u.series.map((s, i) => (
          <path
            key={s.value}
            d={line(s.points)}
            fill="none"
            stroke={COLOURS[i % COLOURS.length]}
            strokeWidth={2}
          />
        ))}
      </svg>
      <ul aria-label="Values served" className="flex flex-wrap gap-3 text-sm">
        {u.series.length === 0 && (
          <li className="text-muted-foreground">No evaluations in this range.</li>
        )}
        {u.series.map((s, i) => (
          <li key={s.value} className="flex items-center gap-1">
            <span
              aria-hidden="true"
              className="inline-block size-3 rounded-sm"
              style={{ background: COLOURS[i % COLOURS.length] }}
            />
            <span className="font-mono">{s.value || '(no variant)'}</span>
            <span className="text-muted-foreground">{s.total.toLocaleString('en')}</span>
          </li>
        ))}
      </ul>
      {u.commits.length > 0 && (
        <ul aria-label="Commits in this range" className="flex flex-col gap-1 text-sm">
          {u.commits.map((c) => (
            <li key={c.revision}>
              <span className="font-mono text-xs">{c.revision.slice(0, 8)}</span> {c.author}:{' '}
              {c.summary}{' '}
              <time className="text-muted-foreground" dateTime={c.time}>
                ({ago(c.time)})
              </time>
            </li>
          ))}
        </ul>
      )}
      <LastEvaluated items={u.lastEvaluated} />
      <p className="text-xs text-muted-foreground">{u.notice}</p>
    </section>
  );
}

/** When the flag was last evaluated in each environment of the organisation. */
function LastEvaluated({
  items,
}: {
  items: Array<{ environment: string; lastEvaluatedAt: string | null }>;
}) {
  return (
    <dl aria-label="Last evaluated" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {items.map((e) => (
        <div key={e.environment} className="contents">
          <dt className="font-mono">{e.environment}</dt>
          <dd data-testid={`last-evaluated-${e.environment}`}>
            Last evaluated{' '}
            {e.lastEvaluatedAt ? (
              <time dateTime={e.lastEvaluatedAt}>{ago(e.lastEvaluatedAt)}</time>
            ) : (
              'never'
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
