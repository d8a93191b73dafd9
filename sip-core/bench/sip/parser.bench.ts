// Part of `npm run bench:sip`: parse and parse+serialise throughput of our SIP parser next to sip.js
// 0.21.2's and the `sip` package's, on a typical INVITE with SDP and its 200 OK, measured in the same run.
// Each measurement runs in a child process (measure-worker.ts); the parsers take turns per row, so they see
// the same machine load. Options (environment): BENCH_ROUNDS (default 7), BENCH_ROUND_MS (default 300).

import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Rate } from './measure.js';
import type { MeasureJob } from './measure-worker.js';
import { PARSERS, type TransactionFields } from './parser-adapters.js';
import { BENCH_MESSAGES } from './typical-messages.js';

const TARGET_INVITE_PARSES_PER_SECOND = 150_000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 300);
const OPERATIONS = ['parse', 'parse + serialise'] as const;

function runJob(job: MeasureJob): Promise<Rate> {
  const worker = fileURLToPath(new URL('./measure-worker.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(worker, [JSON.stringify(job)], { execArgv: process.execArgv, stdio: 'inherit' });
    let result: Rate | undefined;
    child.on('message', (message) => (result = message as Rate));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`measuring ${job.parser} failed (exit code ${code})`));
    });
  });
}

interface Row {
  readonly label: string;
  readonly operation: string;
  readonly rates: Rate[];
}

/** Measures every parser on every message and prints the table with ratios. */
export async function runParserBench(): Promise<void> {
  // Fairness check: every parser must read the same transaction fields from each message.
  for (const { label, bytes } of BENCH_MESSAGES) {
    const reference = JSON.stringify(PARSERS[0].fields(bytes));
    for (const parser of PARSERS.slice(1)) {
      const fields: TransactionFields = parser.fields(bytes);
      if (JSON.stringify(fields) !== reference) {
        throw new Error(
          `${parser.name} reads ${JSON.stringify(fields)} from ${label}, expected ${reference}`,
        );
      }
    }
  }

  const rows: Row[] = [];
  for (let message = 0; message < BENCH_MESSAGES.length; message++) {
    for (const operation of OPERATIONS) {
      const rates: Rate[] = [];
      for (const parser of PARSERS)
        rates.push(await runJob({ parser: parser.name, message, operation, rounds, roundMs }));
      rows.push({ label: BENCH_MESSAGES[message].label, operation, rates });
    }
  }

  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
  const header = [
    'message',
    'operation',
    ...PARSERS.map((p) => p.name),
    ...PARSERS.slice(1).map((p) => `ours / ${p.name}`),
  ];
  const table = rows.map((r) => {
    const cpu = r.rates.map((x) => x.perCpuSecond);
    return [r.label, r.operation, ...cpu.map(fmt), ...cpu.slice(1).map((x) => ratio(cpu[0], x))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

  const out: string[] = [];
  out.push(
    `SIP parser benchmark — Node ${process.version}, load average ${loadavg()[0].toFixed(2)} on this machine`,
  );
  out.push(
    `messages per second of CPU time on one thread; median of ${rounds} rounds of ~${roundMs} ms, one process per cell`,
  );
  out.push('');
  out.push(line(header));
  out.push(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of table) out.push(line(row));
  out.push('');
  out.push('wall-clock medians, same cells (these include time other jobs on the machine took):');
  for (const r of rows) {
    out.push(
      `  ${r.label}  ${r.operation.padEnd(17)}  ${r.rates.map((x) => fmt(x.perWallSecond)).join(' / ')}`,
    );
  }
  out.push(
    'Every parser reads the top Via branch and sent-by, CSeq, Call-ID, From tag and To tag of each message.',
  );
  for (const parser of PARSERS) if (parser.note !== undefined) out.push(`${parser.name}: ${parser.note}`);
  const invite = rows[0].rates[0].perCpuSecond;
  const verdict = invite >= TARGET_INVITE_PARSES_PER_SECOND ? 'met' : 'NOT met';
  out.push(`Target ≥ ${fmt(TARGET_INVITE_PARSES_PER_SECOND)} INVITE parses/s: ${fmt(invite)} (${verdict}).`);
  process.stdout.write(`${out.join('\n')}\n`);
}
