// Running one SIPp client scenario from `test/fixtures/sipp/` against an endpoint: its keys (`-key name value`),
// transport (`-t u1` / `-t t1`), source address (`-i`), and the `-trace_stat` / `-error_file` / `-message_file`
// reports in a folder, so a test can read what SIPp itself observed. The process is started through
// `PeerProcesses`, so teardown stops it by PID.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerProcess, PeerProcesses } from './peer-process.js';
import { readSippErrors, readSippStats, sippReportArgs } from './sipp-stats.js';

export const SIPP_FIXTURES = fileURLToPath(new URL('../fixtures/sipp/', import.meta.url));

export interface SippClientRun {
  readonly scenario: string;
  readonly target: { readonly address: string; readonly port: number };
  readonly transport: 'udp' | 'tcp';
  /** The Request-URI user (`-s`). */
  readonly service: string;
  readonly keys?: Readonly<Record<string, string>>;
  /** SIPp's local address (`-i`); default 127.0.0.1. */
  readonly sourceIp?: string;
  /** Calls to place (`-m`, default 1) at `ratePerS` per second (`-r`, default 10). */
  readonly calls?: number;
  readonly ratePerS?: number;
  /** How long `<pause/>` holds an answered call (`-d`, default 500 ms). */
  readonly pauseMs?: number;
  readonly extraArgs?: readonly string[];
  /** Log every message to the `-trace_msg` file (default true; off for load runs, where it would be large). */
  readonly traceMessages?: boolean;
}

export interface SippClientResult {
  readonly exitCode: number | null;
  readonly output: string;
  readonly stats: Record<string, number>;
  readonly errors: string;
  /** Every message SIPp sent and received (`-trace_msg`). */
  readonly messages: string;
}

export interface StartedSippClient {
  readonly process: PeerProcess;
  /** The `-trace_msg` file, growing while SIPp runs. */
  readonly messageFile: string;
  /** SIPp's exit code and reports once it has ended. */
  readonly done: Promise<SippClientResult>;
}

/** Runs `run.scenario` to its end in `dir` and returns SIPp's exit code and reports. */
export async function runSippClient(
  peers: PeerProcesses,
  dir: string,
  name: string,
  run: SippClientRun,
): Promise<SippClientResult> {
  return startSippClient(peers, dir, name, run).done;
}

/** Starts `run.scenario` in `dir`; the result resolves when SIPp has ended. */
export function startSippClient(
  peers: PeerProcesses,
  dir: string,
  name: string,
  run: SippClientRun,
): StartedSippClient {
  const keys = Object.entries(run.keys ?? {}).flatMap(([key, value]) => ['-key', key, value]);
  const messageFile = join(dir, `${name}-messages.log`);
  const args = [
    `${run.target.address}:${run.target.port}`,
    '-sf',
    join(SIPP_FIXTURES, run.scenario),
    '-t',
    run.transport === 'udp' ? 'u1' : 't1',
    '-s',
    run.service,
    '-i',
    run.sourceIp ?? '127.0.0.1',
    '-p',
    '0',
    '-m',
    String(run.calls ?? 1),
    '-r',
    String(run.ratePerS ?? 10),
    '-d',
    String(run.pauseMs ?? 500),
    '-timeout',
    '60s',
    '-timeout_error',
    ...(run.traceMessages === false ? [] : ['-trace_msg', '-message_file', messageFile]),
    ...sippReportArgs(dir, name),
    ...keys,
    ...(run.extraArgs ?? []),
  ];
  const process = peers.start('sipp', args, { cwd: dir });
  const statsFile = join(dir, `${name}-stat.csv`);
  const done = process.exited.then((exitCode) => ({
    exitCode,
    output: process.output(),
    stats: existsSync(statsFile) ? readSippStats(statsFile) : {},
    errors: readSippErrors(join(dir, `${name}-errors.log`)),
    messages: existsSync(messageFile) ? readFileSync(messageFile, 'utf8') : '',
  }));
  return { process, messageFile, done };
}
