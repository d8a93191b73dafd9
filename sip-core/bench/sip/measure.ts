// Throughput of one operation on a shared, noisy machine. Rates come from the CPU time the process used
// (process.cpuUsage), so time spent descheduled while other jobs run counts against nobody, and the median of
// several rounds is reported. Each contender is measured in its own process (see measure-worker.ts): CPU time
// includes V8's background GC and compiler threads, and in a shared process one parser's garbage would be
// collected on the next parser's time.

export interface Rate {
  /** Median over the rounds, operations per second of CPU time. */
  readonly perCpuSecond: number;
  /** Median over the rounds, operations per second of wall time (for reference). */
  readonly perWallSecond: number;
}

let sink = 0;

function timeBatch(run: () => number, iterations: number): { cpuSeconds: number; wallSeconds: number } {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let i = 0; i < iterations; i++) sink += run();
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Calibrates `run` to about `roundMs` of CPU time per round, warms it up for one round, then measures. */
export function measure(run: () => number, rounds: number, roundMs: number): Rate {
  let n = 100;
  let iterations: number;
  for (;;) {
    const { cpuSeconds } = timeBatch(run, n);
    if (cpuSeconds * 1000 >= roundMs / 4 || n >= 10_000_000) {
      iterations = Math.max(1, Math.round((n * roundMs) / 1000 / Math.max(cpuSeconds, 1e-6)));
      break;
    }
    n *= 4;
  }
  timeBatch(run, iterations);
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const { cpuSeconds, wallSeconds } = timeBatch(run, iterations);
    cpuRates.push(iterations / cpuSeconds);
    wallRates.push(iterations / wallSeconds);
  }
  if (sink === Number.MIN_VALUE) process.stdout.write('');
  return { perCpuSecond: median(cpuRates), perWallSecond: median(wallRates) };
}
