// Call throughput of the stack: SIPp's built-in `uac` places short calls (INVITE, 180, 200, ACK, BYE, 200) at
// stepped rates against the test UAS built on the stack, and against SIPp's own built-in `uas` as the reference in
// the same run. A rate is clean when every call succeeds with no retransmission over the step (~10 s); the result
// is the highest clean rate of each, and their ratio. Both SIPp processes use 4 MiB socket buffers (TESTING.md).
//
//   BENCH_STACK_STEP_S   seconds per step (default 10)
//   BENCH_STACK_RATES    comma-separated rates to try, in order (default 250 … 16000)

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readSippStats } from '../../test/support/sipp-stats.js';
import { StackUas } from '../../test/support/stack-uas.js';

const STEP_SECONDS = Number(process.env.BENCH_STACK_STEP_S ?? 10);
const RATES = (
  process.env.BENCH_STACK_RATES ?? '250,500,1000,1500,2000,3000,4000,5000,6000,8000,10000,12000,16000'
)
  .split(',')
  .map(Number);
const BUFFER = ['-buff_size', '4194304'];

interface StepResult {
  readonly rate: number;
  readonly clean: boolean;
  readonly successful: number;
  readonly failed: number;
  readonly retransmissions: number;
}

function run(command: string, args: readonly string[], cwd: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'ignore' });
    child.once('close', resolve);
  });
}

/** One step: SIPp uac at `rate` for STEP_SECONDS against 127.0.0.1:`port`. */
async function step(dir: string, port: number, rate: number, label: string): Promise<StepResult> {
  const calls = Math.max(50, Math.round(rate * STEP_SECONDS));
  const csv = join(dir, `${label}-${rate}.csv`);
  const code = await run(
    'sipp',
    [
      '-sn',
      'uac',
      `127.0.0.1:${port}`,
      '-i',
      '127.0.0.1',
      '-p',
      '0',
      '-r',
      String(rate),
      '-m',
      String(calls),
      '-l',
      String(Math.max(1000, rate * 4)),
      '-nostdin',
      '-timeout',
      `${STEP_SECONDS * 3 + 20}s`,
      '-timeout_error',
      '-trace_stat',
      '-stf',
      csv,
      '-fd',
      '1',
      ...BUFFER,
    ],
    dir,
  );
  const stats = readSippStats(csv);
  const successful = stats.SuccessfulCall ?? 0;
  const failed = stats.FailedCall ?? 0;
  const retransmissions = stats.Retransmissions ?? 0;
  const clean = code === 0 && successful === calls && failed === 0 && retransmissions === 0;
  return { rate, clean, successful, failed, retransmissions };
}

async function highestCleanRate(dir: string, port: number, label: string): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  for (const rate of RATES) {
    const result = await step(dir, port, rate, label);
    steps.push(result);
    process.stdout.write(
      `    ${label.padEnd(10)} ${String(rate).padStart(6)} calls/s: ${result.successful} ok, ${result.failed} failed, ` +
        `${result.retransmissions} retransmissions${result.clean ? '' : '  ← not clean'}\n`,
    );
    if (!result.clean) break;
    // Let the stack's 64·T1 transaction state from this step drain a little before the next.
    await sleep(2_000);
  }
  return steps;
}

function best(steps: readonly StepResult[]): number {
  return steps.filter((s) => s.clean).reduce((max, s) => Math.max(max, s.rate), 0);
}

export async function runStackThroughputBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-bench-stack-'));
  process.stdout.write(
    `\nStack call throughput (SIPp uac, ${STEP_SECONDS} s per step, 0 failed and 0 retransmissions)\n`,
  );
  try {
    // The reference: SIPp's own uas.
    const referencePort = 45_000 + Math.floor(Math.random() * 5_000);
    const reference = spawn(
      'sipp',
      ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(referencePort), '-nostdin', ...BUFFER],
      { cwd: dir, stdio: 'ignore' },
    );
    await sleep(500);
    let referenceSteps: StepResult[];
    try {
      referenceSteps = await highestCleanRate(dir, referencePort, 'SIPp uas');
    } finally {
      if (reference.pid !== undefined) process.kill(reference.pid, 'SIGKILL');
    }

    // The same 4 MiB socket buffers as SIPp's (net.core.rmem_max allows it on these machines).
    const uas = await StackUas.start([{ transport: 'udp' }], {
      stack: { transport: { udpBufferBytes: 4_194_304 } },
    });
    let stackSteps: StepResult[];
    try {
      stackSteps = await highestCleanRate(dir, uas.listener('udp').local.port, 'stack UAS');
    } finally {
      await uas.close();
    }
    const referenceRate = best(referenceSteps);
    const stackRate = best(stackSteps);
    process.stdout.write(
      `  ${'SIPp uas (reference)'.padEnd(58)} ${String(referenceRate).padStart(12)} calls/s  ×1.00\n` +
        `  ${'Trunkline stack + test UAS'.padEnd(58)} ${String(stackRate).padStart(12)} calls/s  ×${(
          stackRate / Math.max(1, referenceRate)
        ).toFixed(2)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
