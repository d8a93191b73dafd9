// The benchmark's reading of `perf stat -x ,` output (bench/emulator/syscall-count.ts).

import { describe, expect, it } from 'vitest';
import { parsePerfStat, perCallSummary } from '../../bench/emulator/syscall-count.js';

const OUTPUT = [
  '# started on Sun Nov 29 07:20:00 2026',
  '',
  '92600,,raw_syscalls:sys_enter,10003446711,100.00,,',
  '39940,,syscalls:sys_enter_sendmsg,10003446711,100.00,,',
  '34560,,syscalls:sys_enter_recvmsg,10003446711,100.00,,',
  '10380,,syscalls:sys_enter_epoll_pwait,10003446711,100.00,,',
  '0,,syscalls:sys_enter_epoll_wait,10003446711,100.00,,',
  '<not supported>,,syscalls:sys_enter_poll,0,100.00,,',
  '120,,syscalls:sys_enter_futex,10003446711,100.00,,',
].join('\n');

describe('syscall count', () => {
  it('reads the counts by name; "all" for every system call; unsupported events left out', () => {
    expect(parsePerfStat(OUTPUT)).toEqual(
      new Map([
        ['all', 92600],
        ['sendmsg', 39940],
        ['recvmsg', 34560],
        ['epoll_pwait', 10380],
        ['epoll_wait', 0],
        ['futex', 120],
      ]),
    );
  });

  it('sums up per call, most frequent first, leaving out kinds below 0.05 per call', () => {
    expect(perCallSummary(parsePerfStat(OUTPUT), 10_000)).toBe(
      '9.26 (sendmsg 3.99, recvmsg 3.46, epoll_pwait 1.04)',
    );
  });

  it('says why there are no counts', () => {
    expect(perCallSummary('perf did not start: spawn perf ENOENT', 10)).toBe(
      'not counted (perf did not start: spawn perf ENOENT)',
    );
    expect(parsePerfStat('')).toEqual(new Map());
  });
});
