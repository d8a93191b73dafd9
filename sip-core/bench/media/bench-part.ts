// The shape every part of `npm run bench:media` has, and the measuring and printing they share. The machine is
// shared and noisy, so a part never prints an absolute number alone: it measures its reference in the same run,
// interleaved with the candidate, and prints the ratio of medians.

export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly notes: readonly string[];
}

export interface BenchPart {
  /** Short name to select the part on the command line (`npm run bench:media -- srtp`). */
  readonly name: string;
  run(): Promise<BenchTable>;
}

/** Runs `operation` `count` times and returns operations per second. */
export function opsPerSecond(count: number, operation: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) operation(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

/**
 * Measures several contenders in interleaved rounds (A B C A B C …) so that load from other processes falls on all of
 * them alike, and returns each contender's median rate.
 */
export function interleavedMedians(
  contenders: ReadonlyArray<{ readonly name: string; readonly operation: (i: number) => void }>,
  options: { rounds: number; opsPerRound: number; warmupOps: number },
): Map<string, { median: number; samples: number[] }> {
  for (const c of contenders) opsPerSecond(options.warmupOps, c.operation);
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < options.rounds; round++) {
    for (const c of contenders) samples.get(c.name)!.push(opsPerSecond(options.opsPerRound, c.operation));
  }
  return new Map(
    [...samples].map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return [name, { median: sorted[Math.floor(sorted.length / 2)], samples: values }];
    }),
  );
}

export function formatTable(table: BenchTable): string {
  const widths = table.columns.map((c, i) =>
    Math.max(c.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [
    table.title,
    '',
    line(table.columns),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map(line),
    '',
    ...table.notes,
  ].join('\n');
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
}
