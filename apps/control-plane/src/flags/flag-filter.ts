import type { Flag } from '@switchyard/flags';
import type { ListFlagsQuery } from './flags.dto.js';

/** The predicate of the flag list's search and filters; every given criterion must hold. */
export function flagFilter(q: ListFlagsQuery): (flag: Flag) => boolean {
  const text = q.q?.trim().toLowerCase();
  const [metaKey, metaValue] = splitMetadata(q.metadata);
  return (f) => {
    if (text && ![f.key, f.name, f.description ?? ''].some((s) => s.toLowerCase().includes(text)))
      return false;
    if (q.type !== undefined && f.type !== q.type) return false;
    if (q.enabled !== undefined && f.enabled !== (q.enabled === 'true')) return false;
    if (metaKey !== undefined) {
      const meta = f.metadata ?? {};
      if (!Object.hasOwn(meta, metaKey)) return false;
      // Metadata values are JSON; the filter compares scalars by their text (`tier=1` matches 1).
      if (metaValue !== undefined) {
        const v = meta[metaKey];
        if (v === null || typeof v === 'object' || String(v) !== metaValue) return false;
      }
    }
    return true;
  };
}

function splitMetadata(m: string | undefined): [string | undefined, string | undefined] {
  if (m === undefined) return [undefined, undefined];
  const i = m.indexOf('=');
  return i < 0 ? [m.trim(), undefined] : [m.slice(0, i).trim(), m.slice(i + 1)];
}
