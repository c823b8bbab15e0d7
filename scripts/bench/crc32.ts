// Bucketing hash: the engine's own CRC-32 (encodes UTF-8 on the fly, no allocation) against
// node:zlib's crc32 on the same (flag key, entity id) pairs in this process. The engine buckets
// with crc32(flagKey + entityId), so zlib is measured both chained (crc32(b, crc32(a)), no
// concatenation) and on the concatenated string. Ratios > 1 mean the engine's own is faster.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32 } from '@switchyard/flags';

const print = (name: string, value: number, unit: string) =>
  process.stdout.write(`bench ${name} ${value.toFixed(value >= 100 ? 0 : 2)} ${unit}\n`);

function opsPerSecond(run: () => number, minMs = 1500): number {
  let sink = run(); // warm-up
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    sink ^= run();
    ops++;
    elapsed = performance.now() - start;
  }
  if (sink === 0.5) process.stdout.write(''); // keep the result alive
  return (ops * 1000) / elapsed;
}

const pairs: [string, string][] = [];
for (let i = 0; i < 2000; i++)
  pairs.push([
    `flag-${i % 100}`,
    i % 10 === 0 ? `utilisateur-é-${i}` : `user-${(i * 7919) % 100_000}`,
  ]);
for (const [a, b] of pairs) {
  const want = crc32(a, b);
  if (zlibCrc32(b, zlibCrc32(a)) !== want || zlibCrc32(a + b) !== want)
    throw new Error(`crc32 mismatch on ${a}${b}`);
}

const own = opsPerSecond(() => {
  let x = 0;
  for (const [a, b] of pairs) x ^= crc32(a, b);
  return x;
});
const chained = opsPerSecond(() => {
  let x = 0;
  for (const [a, b] of pairs) x ^= zlibCrc32(b, zlibCrc32(a));
  return x;
});
const concat = opsPerSecond(() => {
  let x = 0;
  for (const [a, b] of pairs) x ^= zlibCrc32(a + b);
  return x;
});
print('crc32-engine-per-second', own * pairs.length, 'ops/s');
print('crc32-zlib-chained-per-second', chained * pairs.length, 'ops/s');
print('crc32-zlib-concat-per-second', concat * pairs.length, 'ops/s');
print('crc32-engine-vs-zlib-chained', own / chained, 'x');
print('crc32-engine-vs-zlib-concat', own / concat, 'x');
