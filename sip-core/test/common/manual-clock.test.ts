import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';

describe('ManualClock', () => {
  it('fires timers in due order, ties in creation order, and only when advanced past them', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@20'), 20);
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(11);
    expect(fired).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(20);
  });

  it('runs timers created by callbacks inside the same window, at their own due time', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now());
      clock.setTimeout(() => seen.push(clock.now()), 5);
    }, 10);
    clock.advance(100);
    expect(seen).toEqual([10, 15]);
    expect(clock.now()).toBe(100);
  });

  it('cancels timers and ignores unknown handles', () => {
    const clock = new ManualClock();
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 5);
    clock.clearTimeout(handle);
    clock.clearTimeout(undefined);
    clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runAll drains timers and reports the time taken; wallNow follows now', () => {
    const clock = new ManualClock({ epochMs: 1_000_000 });
    clock.setTimeout(() => clock.setTimeout(() => undefined, 500), 32_000);
    expect(clock.nextDueInMs()).toBe(32_000);
    expect(clock.runAll()).toBe(32_500);
    expect(clock.wallNow()).toBe(1_032_500);
    expect(clock.nextDueInMs()).toBeUndefined();
  });
});
