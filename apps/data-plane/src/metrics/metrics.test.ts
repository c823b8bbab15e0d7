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

  it('keeps one revision series per environment', async () => {
    const m = new DataPlaneMetrics({ defaultMetrics: false });
    m.revision('prod', 'a');
    m.revision('prod', 'b');
    const text = await m.registry.metrics();
    expect(text).toContain('switchyard_snapshot_revision_info{environment="prod",revision="b"} 1');
    expect(text).not.toContain('revision="a"');
  });
});
