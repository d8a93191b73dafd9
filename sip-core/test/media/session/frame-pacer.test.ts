import { describe, expect, it } from 'vitest';
import { FramePacer, deviationPercentileMs } from '../../../src/media/session/frame-pacer.js';
import { RTCP_MIN_INTERVAL_MS, rtcpIntervalMs } from '../../../src/media/session/rtcp-interval.js';

describe('FramePacer', () => {
  it.each([
    { atMs: 1018.5, first: 1, count: 0, skipped: 0, why: 'more than 1 ms early: nothing yet' },
    { atMs: 1019.2, first: 1, count: 1, skipped: 0, why: 'within the 1 ms early tolerance' },
    { atMs: 1020, first: 1, count: 1, skipped: 0, why: 'on time' },
    { atMs: 1063, first: 1, count: 3, skipped: 0, why: '43 ms late: three frames, caught up' },
    {
      atMs: 1080,
      first: 1,
      count: 4,
      skipped: 0,
      why: 'four frames: the catch-up limit plus the current one',
    },
    { atMs: 1100, first: 1, count: 5, skipped: 4, why: 'five frames: only the newest is sent' },
  ])('$why', ({ atMs, first, count, skipped }) => {
    const pacer = new FramePacer({ startMs: 1000 });
    expect(pacer.take(1000)).toEqual({ first: 0, count: 1, skipped: 0 });
    expect(pacer.take(atMs)).toEqual({ first, count, skipped });
    expect(pacer.nextFrame).toBe(first + count);
  });

  it('returns its own result object from every take, rewritten each time (a tick allocates nothing)', () => {
    const pacer = new FramePacer({ startMs: 0 });
    const first = pacer.take(0);
    expect(first).toEqual({ first: 0, count: 1, skipped: 0 });
    const second = pacer.take(10);
    expect(second).toBe(first);
    expect(second).toEqual({ first: 1, count: 0, skipped: 0 });
    expect(pacer.take(200)).toEqual({ first: 1, count: 10, skipped: 9 });
  });

  it('aims every deadline at the original grid, so lateness never accumulates', () => {
    const pacer = new FramePacer({ startMs: 0 });
    let now = 0;
    for (let i = 0; i < 1000; i++) {
      pacer.take(now);
      // Each timer fires 3 ms late relative to the deadline it was set for.
      now = pacer.nextDeadlineMs + 3;
    }
    expect(pacer.nextFrame).toBe(1000);
    expect(pacer.nextDeadlineMs).toBe(20_000);
    expect(pacer.stats.maxLatenessMs).toBe(3);
    expect(pacer.stats.p99IntervalDeviationMs).toBe(0.5);
  });

  it('measures the p99 deviation of the send interval from the frame period', () => {
    const pacer = new FramePacer({ startMs: 0 });
    // 99 intervals of exactly 20 ms, then one of 27 ms (7 ms deviation) and back.
    for (let i = 0; i < 99; i++) pacer.take(i * 20);
    pacer.take(99 * 20 + 7);
    for (let i = 100; i < 300; i++) pacer.take(i * 20);
    expect(pacer.stats.p99IntervalDeviationMs).toBe(0.5);
    for (let i = 300; i < 320; i++) pacer.take(i * 20 + (i % 2 === 0 ? 9 : 0));
    expect(pacer.stats.p99IntervalDeviationMs).toBe(9.5);
  });

  it('gives the percentile of a time window as the difference of two histogram snapshots', () => {
    const pacer = new FramePacer({ startMs: 0 });
    for (let i = 0; i < 100; i++) pacer.take(i * 20 + (i % 2 === 0 ? 12 : 0));
    const before = pacer.stats.intervalDeviationHistogram;
    expect(deviationPercentileMs(before, 0.99)).toBe(12.5);
    for (let i = 100; i < 300; i++) pacer.take(i * 20);
    const after = pacer.stats.intervalDeviationHistogram;
    expect(deviationPercentileMs(after, 0.99)).toBe(12.5);
    expect(
      deviationPercentileMs(
        after.map((n, bucket) => n - before[bucket]),
        0.99,
      ),
    ).toBe(0.5);
    expect(deviationPercentileMs(new Array<number>(101).fill(0), 0.99)).toBe(0);
  });
});

describe('rtcpIntervalMs (RFC 3550 §6.3.1)', () => {
  it.each([
    { random: 0, initial: false, expected: (0.5 * 5000) / (Math.E - 1.5) },
    { random: 0.999_999, initial: false, expected: (1.5 * 5000) / (Math.E - 1.5) },
    { random: 0.5, initial: false, expected: 5000 / (Math.E - 1.5) },
    { random: 0.5, initial: true, expected: 2500 / (Math.E - 1.5) },
  ])('random $random, initial $initial', ({ random, initial, expected }) => {
    expect(rtcpIntervalMs(() => random, { initial })).toBeCloseTo(expected, 1);
  });

  it('averages about 4.1 s with the 5 s minimum', () => {
    let sum = 0;
    let state = 1;
    const random = () => ((state = (state * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 10_000; i++) sum += rtcpIntervalMs(random);
    expect(sum / 10_000).toBeGreaterThan(0.95 * (RTCP_MIN_INTERVAL_MS / (Math.E - 1.5)));
    expect(sum / 10_000).toBeLessThan(1.05 * (RTCP_MIN_INTERVAL_MS / (Math.E - 1.5)));
  });
});
