// lowerHelperThreadPriority against a stand-in for the operating system: which threads it changes, what it counts,
// and that a thread which ended or refused never makes it throw. The real threads of the real bin are checked in
// emulator-command.test.ts.

import { describe, expect, it } from 'vitest';
import {
  describeHelperThreadPriority,
  lowerHelperThreadPriority,
  type ThreadPriorityHost,
} from '../../src/cli/helper-thread-priority.js';

function fakeHost(niceValues: Record<number, number>, overrides: Partial<ThreadPriorityHost> = {}) {
  const nice = new Map(Object.entries(niceValues).map(([tid, value]) => [Number(tid), value]));
  const host: ThreadPriorityHost = {
    platform: 'linux',
    mainThreadId: 100,
    threadIds: () => [...nice.keys()],
    getPriority: (tid) => {
      const value = nice.get(tid);
      if (value === undefined) throw Object.assign(new Error('no such process'), { code: 'ESRCH' });
      return value;
    },
    setPriority: (tid, value) => nice.set(tid, value),
    ...overrides,
  };
  return { host, nice };
}

describe('lowerHelperThreadPriority', () => {
  it('raises every thread but the main one to the nice value, and leaves those already at or above it', () => {
    const { host, nice } = fakeHost({ 100: 0, 101: 0, 102: 0, 103: 15, 104: 10 });
    expect(lowerHelperThreadPriority(10, { host })).toEqual({
      supported: true,
      niceness: 10,
      lowered: 2,
      unchanged: 2,
      kept: [],
      failed: 0,
    });
    expect(Object.fromEntries(nice)).toEqual({ 100: 0, 101: 10, 102: 10, 103: 15, 104: 10 });
  });

  it('leaves the threads named in except at their value, and reports those it found', () => {
    const { host, nice } = fakeHost({ 100: 0, 101: 0, 102: 0, 103: 0 });
    expect(lowerHelperThreadPriority(10, { host, except: [102, 555] })).toEqual({
      supported: true,
      niceness: 10,
      lowered: 2,
      unchanged: 0,
      kept: [102],
      failed: 0,
    });
    expect(Object.fromEntries(nice)).toEqual({ 100: 0, 101: 10, 102: 0, 103: 10 });
  });

  it('counts a thread that ended or refused, and goes on with the others', () => {
    const { host, nice } = fakeHost(
      { 100: 0, 101: 0, 102: 0 },
      {
        threadIds: () => [100, 101, 999, 102],
        setPriority: (tid, value) => {
          if (tid === 101) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
          nice.set(tid, value);
        },
      },
    );
    expect(lowerHelperThreadPriority(5, { host })).toMatchObject({ lowered: 1, unchanged: 0, failed: 2 });
    expect(nice.get(102)).toBe(5);
  });

  it('changes nothing where nice values are not per thread, or the thread list cannot be read', () => {
    const set: number[] = [];
    const { host } = fakeHost({ 100: 0, 101: 0 }, { setPriority: (tid) => set.push(tid) });
    expect(lowerHelperThreadPriority(10, { host: { ...host, platform: 'darwin' } })).toEqual({
      supported: false,
    });
    expect(
      lowerHelperThreadPriority(10, {
        host: {
          ...host,
          threadIds: () => {
            throw new Error('ENOENT: /proc/self/task');
          },
        },
      }),
    ).toEqual({ supported: false });
    expect(set).toEqual([]);
  });

  it('refuses a nice value outside 0–19', () => {
    const { host } = fakeHost({ 100: 0 });
    for (const bad of [-1, 20, 2.5, Number.NaN]) {
      expect(() => lowerHelperThreadPriority(bad, { host })).toThrow(RangeError);
    }
  });

  it('describes the outcome in one line', () => {
    expect(describeHelperThreadPriority({ supported: false })).toContain('need Linux');
    expect(
      describeHelperThreadPriority({
        supported: true,
        niceness: 10,
        lowered: 9,
        unchanged: 1,
        kept: [],
        failed: 1,
      }),
    ).toBe('helper threads at nice 10 (10 threads, 1 could not be changed): the SIP event loop goes first');
    expect(
      describeHelperThreadPriority({
        supported: true,
        niceness: 10,
        lowered: 11,
        unchanged: 0,
        kept: [7],
        failed: 0,
      }),
    ).toBe(
      'helper threads at nice 10 (11 threads): the SIP event loop goes first; the thread it waits for kept with it',
    );
    expect(
      describeHelperThreadPriority({
        supported: true,
        niceness: 0,
        lowered: 0,
        unchanged: 3,
        kept: [],
        failed: 0,
      }),
    ).toContain('--helper-nice 0');
  });
});
