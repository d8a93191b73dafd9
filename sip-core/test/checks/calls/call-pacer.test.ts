// The call pacer on a ManualClock: calls start at least the spacing apart, counted from the previous call's final
// response; `quiet` waits out the same window without counting a call (the negative probes after the calls).

import { describe, expect, it } from 'vitest';
import { CallPacer } from '../../../src/checks/calls/index.js';
import { ManualClock } from '../../../src/common/manual-clock.js';

async function settledAfter(clock: ManualClock, promise: Promise<void>, stepMs: number): Promise<number> {
  let done = false;
  void promise.then(() => (done = true));
  let waitedMs = 0;
  for (let i = 0; i < 100 && !done; i++) {
    await Promise.resolve();
    await Promise.resolve();
    if (done) break;
    clock.advance(stepMs);
    waitedMs += stepMs;
  }
  await promise;
  return waitedMs;
}

describe('CallPacer', () => {
  it('lets the first call start at once and spaces the next from the last final response', async () => {
    const clock = new ManualClock();
    const pacer = new CallPacer(clock, 1_000);
    expect(await settledAfter(clock, pacer.next(), 100)).toBe(0);
    clock.advance(300);
    pacer.settled();
    expect(await settledAfter(clock, pacer.next(), 100)).toBe(1_000);
  });

  it('quiet: nothing to wait before any call; after one, the rest of its window; it counts no call', async () => {
    const clock = new ManualClock();
    const pacer = new CallPacer(clock, 1_000);
    expect(await settledAfter(clock, pacer.quiet(), 100)).toBe(0);
    await pacer.next();
    pacer.settled();
    clock.advance(400);
    expect(await settledAfter(clock, pacer.quiet(), 100)).toBe(600);
    // quiet counted nothing: a second quiet right away does not wait again.
    expect(await settledAfter(clock, pacer.quiet(), 100)).toBe(0);
  });
});
