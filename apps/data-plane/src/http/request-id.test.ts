import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.js';

describe('newRequestId', () => {
  it('makes distinct UUIDv4s across several random blocks', () => {
    const ids = Array.from({ length: 2000 }, newRequestId);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every hex digit in the random positions (no stuck nibble)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of newRequestId().replace(/-/g, '')) seen.add(c);
    expect([...seen].sort().join('')).toBe('0123456789abcdef');
  });
});
