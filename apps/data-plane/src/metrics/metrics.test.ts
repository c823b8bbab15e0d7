import { describe, expect, it } from 'vitest';
import { DataPlaneMetrics, FLAG_LABEL_CAP } from './metrics.js';

describe('DataPlaneMetrics', () => {
  it('caps the flag label so unknown flags cannot explode cardinality', async () => {
    const m = new DataPlaneMetrics({ defaultMetrics: false });
    for (let i = 0; i < FLAG_LABEL_CAP + 50; i++)
      m.evaluation('prod', 'default', `flag-${i}`, 'MATCH_EVALUATION_REASON');
    const text = await m.registry.metrics();
    expect(text).toContain('flag="__other__",reason="MATCH_EVALUATION_REASON"} 50');
    expect(text.match(/^switchyard_evaluations_total\{/gm)).toHaveLength(FLAG_LABEL_CAP + 1);
  });

  it('counts repeated and interleaved series apart (the last-series shortcut)', async () => {
    const m = new DataPlaneMetrics({ defaultMetrics: false });
    const calls: Array<[string, string]> = [
      ['a', 'MATCH_EVALUATION_REASON'],
      ['a', 'MATCH_EVALUATION_REASON'],
      ['a', 'DEFAULT_EVALUATION_REASON'],
      ['b', 'MATCH_EVALUATION_REASON'],
      ['a', 'MATCH_EVALUATION_REASON'],
    ];
    for (const [flag, reason] of calls) m.evaluation('prod', 'default', flag, reason);
    m.request('http', 'evaluate_boolean', 200, 0.0002);
    m.request('http', 'evaluate_boolean', 200, 0.0002);
    m.request('http', 'evaluate_boolean', 404, 0.0002);
    const text = await m.registry.metrics();
    const series = (flag: string, reason: string) =>
      `switchyard_evaluations_total{environment="prod",namespace="default",flag="${flag}",reason="${reason}"}`;
    expect(text).toContain(`${series('a', 'MATCH_EVALUATION_REASON')} 3`);
    expect(text).toContain(`${series('a', 'DEFAULT_EVALUATION_REASON')} 1`);
    expect(text).toContain(`${series('b', 'MATCH_EVALUATION_REASON')} 1`);
    expect(text).toContain(
      'switchyard_request_duration_seconds_count{transport="http",route="evaluate_boolean",status="200"} 2',
    );
    expect(text).toContain(
      'switchyard_request_duration_seconds_count{transport="http",route="evaluate_boolean",status="404"} 1',
    );
  });

  it('keeps one revision series per environment', async () => {
    const m = new DataPlaneMetrics({ defaultMetrics: false });
    m.revision('prod', 'a');
    m.revision('prod', 'b');
    const text = await m.registry.metrics();
    expect(text).toContain('switchyard_snapshot_revision_info{environment="prod",revision="b"} 1');
    expect(text).not.toContain('revision="a"');
  });
});
