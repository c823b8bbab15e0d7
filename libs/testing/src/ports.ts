/**
 * A block of 100 ports for one test stack's instances (the local driver allocates two per
 * instance from it). Blocks lie below the kernel's ephemeral range (32768 and up), so no
 * outbound connection or `listen(0)` elsewhere in the run can take a port between the driver's
 * check and the instance's bind; and each vitest worker (`VITEST_POOL_ID`, 1 and up) draws from
 * its own ten blocks, so two files running at once never share one. Outside vitest (the browser
 * suite's stack, scripts) the draw is from the first ten.
 */
export function instancePortRange(): string {
  const pool = Number(process.env['VITEST_POOL_ID'] ?? 0) % 12;
  const base = 20_000 + (pool * 10 + Math.floor(Math.random() * 10)) * 100;
  return `${base}-${base + 99}`;
}
