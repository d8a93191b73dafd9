// How many system calls one thread makes while something runs, from the kernel's own tracepoints
// (`perf stat -e syscalls:sys_enter_… -t <tid>`). On a paravirtualised guest like this machine a system call is
// dearer than on bare metal, so the count per call is a cost in its own right, and unlike CPU time it hardly moves
// with the host's speed (it moves with the call rate, below): the emulator's main thread made 9.3 per call at
// 1,000 calls/s (4 sendmsg, 3.5 recvmsg, 1 epoll_pwait) — one per datagram and little else, so the send and
// receive paths hold no call to spare. At 400 calls/s it is ~12: fewer datagrams share each event-loop wake-up.
//
// perf is optional: without it, or without the right to trace (perf_event_paranoid, no root), the count says why
// it is missing and the benchmark carries on.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The calls a SIP server's event loop makes per message; `raw_syscalls:sys_enter` counts every kind. */
const EVENTS = [
  'raw_syscalls:sys_enter',
  'syscalls:sys_enter_sendmsg',
  'syscalls:sys_enter_recvmsg',
  'syscalls:sys_enter_epoll_pwait',
  'syscalls:sys_enter_epoll_wait',
  'syscalls:sys_enter_futex',
  'syscalls:sys_enter_write',
  'syscalls:sys_enter_read',
  // SIPp's own calls, for the reference beside the emulator.
  'syscalls:sys_enter_sendto',
  'syscalls:sys_enter_recvfrom',
  'syscalls:sys_enter_poll',
] as const;

/** Per event name without its tracepoint group (`sendmsg`, and `all` for every system call). */
export type SyscallCounts = ReadonlyMap<string, number>;

/** The counts, or why there are none. */
export type SyscallCountResult = SyscallCounts | string;

export interface SyscallCount {
  /** Stops counting. */
  stop(): Promise<SyscallCountResult>;
}

/** Starts counting the system calls of thread `tid` (the main thread of a process is its pid). */
export function countSyscalls(tid: number, dir: string, name: string): SyscallCount {
  const output = join(dir, `${name}-syscalls.csv`);
  const perf = spawn('perf', ['stat', '-x', ',', '-e', EVENTS.join(','), '-t', String(tid), '-o', output], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  perf.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2_000)));
  let failure: string | undefined;
  const exited = new Promise<void>((resolve) => {
    perf.once('close', () => resolve());
    // A perf that cannot start (not installed) may report only this.
    perf.once('error', (error) => {
      failure = `perf did not start: ${error.message}`;
      resolve();
    });
  });
  return {
    async stop() {
      if (perf.exitCode === null && perf.signalCode === null && perf.pid !== undefined) {
        // perf stat writes its counts when interrupted.
        perf.kill('SIGINT');
      }
      await exited;
      if (failure !== undefined) return failure;
      const counts = existsSync(output)
        ? parsePerfStat(readFileSync(output, 'utf8'))
        : new Map<string, number>();
      if (counts.size === 0)
        return `perf counted nothing: ${stderr.trim().split('\n').at(-1) ?? 'no output'}`;
      return counts;
    },
  };
}

/**
 * `perf stat -x ,` lines: `count,unit,event,…`; a count of `<not supported>` or `<not counted>` is left out.
 * `raw_syscalls:sys_enter` becomes `all`, `syscalls:sys_enter_sendmsg` becomes `sendmsg`.
 */
export function parsePerfStat(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [count, , event] = line.split(',');
    if (event === undefined || count === undefined || !/^\d+$/.test(count)) continue;
    const name = event === 'raw_syscalls:sys_enter' ? 'all' : event.replace(/^syscalls:sys_enter_/, '');
    counts.set(name, Number(count));
  }
  return counts;
}

/** `9.3 (sendmsg 4.0, recvmsg 3.5, …)` per call, the kinds above 0.05 per call, most frequent first. */
export function perCallSummary(counts: SyscallCountResult, calls: number): string {
  if (typeof counts === 'string') return `not counted (${counts})`;
  const per = (count: number): string => (count / Math.max(calls, 1)).toFixed(2);
  const kinds = [...counts]
    .filter(([name, count]) => name !== 'all' && count / Math.max(calls, 1) >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${per(count)}`);
  return `${per(counts.get('all') ?? 0)}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`;
}
