// Reading what SIPp itself observed: the last row of its `-trace_stat` CSV (cumulative counters such as
// `SuccessfulCall(C)`, `FailedCall(C)`, `Retransmissions(C)`, `FailedUnexpectedMessage(C)`) and its
// `-trace_err` file of unexpected messages.

import { existsSync, readFileSync } from 'node:fs';

/**
 * The last row of a SIPp CSV (`-trace_stat`, `-trace_counts`: a header line, then one row per dump), each cell as
 * written, by column name (the first column of a name when it repeats).
 */
export function readSippLastRow(csvPath: string): Map<string, string | undefined> {
  const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  const row = new Map<string, string | undefined>();
  header.forEach((name, index) => {
    if (!row.has(name)) row.set(name, last[index]);
  });
  return row;
}

/** The cumulative counters of the last row of a SIPp `-trace_stat` CSV, by column name (e.g. `SuccessfulCall`). */
export function readSippStats(csvPath: string): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const [name, value] of readSippLastRow(csvPath)) {
    const match = /^(.*)\(C\)$/.exec(name);
    if (match?.[1] !== undefined) stats[match[1]] = Number(value);
  }
  return stats;
}

/**
 * A cumulative mean time of a SIPp `-trace_stat` row in ms: SIPp writes them as `HH:MM:SS:µµµµµµ`
 * (`ResponseTime1(C)`, `CallLength(C)`). NaN for a cell in another shape.
 */
export function sippTimeMs(cell: string | undefined): number {
  const match = /^(\d+):(\d{2}):(\d{2}):(\d{6})$/.exec(cell?.trim() ?? '');
  if (match === null) return Number.NaN;
  const [hours, minutes, seconds, micros] = match.slice(1).map(Number) as [number, number, number, number];
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + micros / 1000;
}

/** The content of SIPp's `-error_file` (unexpected messages, retransmission give-ups), empty when none. */
export function readSippErrors(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

/** SIPp arguments for headless runs that write both files into `dir` with `name` as prefix. */
export function sippReportArgs(dir: string, name: string): string[] {
  return [
    '-nostdin',
    '-trace_stat',
    '-stf',
    `${dir}/${name}-stat.csv`,
    '-fd',
    '1',
    '-trace_err',
    '-error_file',
    `${dir}/${name}-errors.log`,
  ];
}
