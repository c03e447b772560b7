/** Small helpers shared by the benchmarks. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Runs fn repeatedly for at least `minMs`, returns operations per second. */
export function opsPerSecond(fn: () => void, minMs = 1000): number {
  fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    n++;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}
