import { describe, expect, it } from 'vitest';
import { CpsAccounting, SlidingWindowCounter } from '../../../src/emulator/limits/index.js';

describe('SlidingWindowCounter', () => {
  it('counts an admission for exactly one window', () => {
    const window = new SlidingWindowCounter(1_000);
    window.record(100);
    expect(window.count(100)).toBe(1);
    window.record(600);
    expect([window.count(600), window.count(1_099), window.count(1_100)]).toEqual([2, 2, 1]);
    expect(window.nextExpiryMs(1_100)).toBe(1_600);
    expect(window.count(1_600)).toBe(0);
    expect(window.nextExpiryMs(1_600)).toBeUndefined();
  });

  it('keeps counting right after compacting a long history', () => {
    const window = new SlidingWindowCounter(1_000);
    for (let t = 0; t < 100_000; t += 10) {
      window.record(t);
      expect(window.count(t)).toBe(Math.min(t / 10 + 1, 100));
    }
  });
});

describe('CpsAccounting', () => {
  it('counts per trunk and account-wide, and forgets idle trunks', () => {
    const cps = new CpsAccounting();
    cps.record('1', 0);
    cps.record('2', 10);
    cps.record('2', 20);
    expect([cps.trunkCount('1', 30), cps.trunkCount('2', 30), cps.accountCount(30)]).toEqual([1, 2, 3]);
    expect(cps.trunkCount('3', 30)).toBe(0);
    expect(cps.nextAccountExpiryMs(30)).toBe(1_000);
    expect([cps.trunkCount('1', 1_000), cps.trunkCount('2', 1_015), cps.accountCount(1_015)]).toEqual([
      0, 1, 1,
    ]);
  });
});
