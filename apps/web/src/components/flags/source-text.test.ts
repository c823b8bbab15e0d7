import { describe, expect, it } from 'vitest';
import { flagSchema, segmentSchema } from '@switchyard/flags';
import { patchSource, validateFlagSource, validateSegmentSource } from './source-text';

const beta = segmentSchema.parse({ key: 'beta', name: 'Beta', match_type: 'ALL_MATCH_TYPE' });
// Lines 9–13 of a feature file, as GET …/source returns them.
const src = {
  revision: 'r',
  file: 'default/features.yaml',
  startLine: 9,
  endLine: 13,
  version: '1.4',
  text: `  - key: checkout   # do not rename
    name: "Checkout"
    # on for everyone since May
    enabled: true
    variants: [{ key: a }]
`,
};

describe('the YAML tab on stored text', () => {
  it('parses the stored lines into the flag, and maps errors to lines of the file', () => {
    const ok = validateFlagSource('default', 'checkout', src, src.text, [beta]);
    expect(ok.errors).toEqual([]);
    expect(ok.flag).toMatchObject({ key: 'checkout', name: 'Checkout', enabled: true });
    const bad = validateFlagSource(
      'default',
      'checkout',
      src,
      src.text.replace('enabled: true', 'enabled: maybe'),
      [beta],
    );
    expect(bad.flag).toBeUndefined();
    expect(bad.errors[0]).toMatchObject({ line: 12 });
    const renamed = validateFlagSource(
      'default',
      'checkout',
      src,
      src.text.replace('key: checkout', 'key: other'),
      [],
    );
    expect(renamed.errors[0]?.message).toMatch(/key must stay "checkout"/);
  });

  it('patches a form edit into the stored lines, keeping comments and quoting', () => {
    const flag = validateFlagSource('default', 'checkout', src, src.text, []).flag!;
    const next = flagSchema.parse({ ...flag, enabled: false });
    expect(patchSource('default', 'flags', src, src.text, flag, next)).toBe(
      src.text.replace('enabled: true', 'enabled: false'),
    );
    expect(patchSource('default', 'flags', src, src.text, flag, flag)).toBe(src.text);
  });

  it('validates a segment the same way', () => {
    const seg = { ...src, text: '  - key: beta\n    name: Beta\n    match_type: ALL_MATCH_TYPE\n' };
    expect(validateSegmentSource('default', 'beta', seg, seg.text).segment).toMatchObject({
      key: 'beta',
    });
    const bad = validateSegmentSource('default', 'beta', seg, seg.text.replace('ALL_', 'SOME_'));
    expect(bad.errors[0]).toMatchObject({ line: 11 });
  });
});
