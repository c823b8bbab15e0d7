/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) over the UTF-8 bytes of a string: the
 * hash Flipt buckets with. Strings are encoded on the fly so the hot path allocates nothing.
 */

const TABLE = /* @__PURE__ */ (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function step(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}

/** Feeds the UTF-8 encoding of `s` into a running (pre-inverted) CRC. Lone surrogates encode as U+FFFD, like TextEncoder. */
function update(crc: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp < 0x80) {
      crc = step(crc, cp);
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else cp = 0xfffd;
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x800) {
      crc = step(crc, 0xc0 | (cp >> 6));
      crc = step(crc, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      crc = step(crc, 0xe0 | (cp >> 12));
      crc = step(crc, 0x80 | ((cp >> 6) & 0x3f));
      crc = step(crc, 0x80 | (cp & 0x3f));
    } else {
      crc = step(crc, 0xf0 | (cp >> 18));
      crc = step(crc, 0x80 | ((cp >> 12) & 0x3f));
      crc = step(crc, 0x80 | ((cp >> 6) & 0x3f));
      crc = step(crc, 0x80 | (cp & 0x3f));
    }
  }
  return crc;
}

/** CRC-32 of the UTF-8 bytes of `a + b` (unsigned), without building the concatenation. */
export function crc32(a: string, b = ''): number {
  return (update(update(-1, a), b) ^ -1) >>> 0;
}
