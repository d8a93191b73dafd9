// Shared by the SIP benchmarks: timing with a median over runs, and printing each result next to the reference
// measured in the same run (the machine is shared and noisy; only ratios are comparable between runs).

export interface Measurement {
  readonly name: string;
  /** Operations per second, median of the runs. */
  readonly opsPerSecond: number;
}

/** Runs `body` (which performs `operations` operations) `runs` times after one warm-up; returns the median rate. */
export async function measure(
  name: string,
  operations: number,
  body: () => void | Promise<void>,
  runs = 5,
): Promise<Measurement> {
  await body();
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    rates.push(operations / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { name, opsPerSecond: rates[Math.floor(rates.length / 2)] ?? 0 };
}

/** Prints `results` with their ratio to `reference` (the first line). */
export function report(
  title: string,
  unit: string,
  reference: Measurement,
  results: readonly Measurement[],
): void {
  process.stdout.write(`\n${title}\n`);
  for (const result of [reference, ...results]) {
    const ratio = result.opsPerSecond / reference.opsPerSecond;
    const rate = Math.round(result.opsPerSecond).toLocaleString('en-US');
    process.stdout.write(`  ${result.name.padEnd(58)} ${rate.padStart(12)} ${unit}  ×${ratio.toFixed(2)}\n`);
  }
}
