import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/manual-clock.js';
import { OptionsKeepAlive, type OptionsStatus } from '../../src/ua/options-keep-alive.js';
import { MIN_OPTIONS_INTERVAL_MS, OptionsRateGuard } from '../../src/ua/options-rate-guard.js';

const answered = (atMs: number): OptionsStatus => ({
  reachable: true,
  statusCode: 200,
  reasonPhrase: 'OK',
  rttMs: 3,
  atMs,
});

describe('OPTIONS rate guard (never more than one ping per 15 s, BEHAVIOUR.md §11)', () => {
  it('refuses a second ping inside 15 s and says how long to wait', () => {
    const guard = new OptionsRateGuard();
    expect(guard.tryAcquire(1_000)).toEqual({ allowed: true });
    expect(guard.tryAcquire(1_001)).toEqual({ allowed: false, retryInMs: 14_999 });
    expect(guard.tryAcquire(15_999)).toEqual({ allowed: false, retryInMs: 1 });
    expect(guard.tryAcquire(16_000)).toEqual({ allowed: true });
  });

  it.each([0, 1_000, 10_000, 14_999])('raises a configured %i ms to the 15 s floor', (intervalMs) => {
    const guard = new OptionsRateGuard(intervalMs);
    expect(guard.minIntervalMs).toBe(MIN_OPTIONS_INTERVAL_MS);
    guard.tryAcquire(0);
    expect(guard.tryAcquire(MIN_OPTIONS_INTERVAL_MS - 1).allowed).toBe(false);
  });

  it('keeps a longer configured interval', () => {
    const guard = new OptionsRateGuard(60_000);
    guard.tryAcquire(0);
    expect(guard.tryAcquire(30_000)).toEqual({ allowed: false, retryInMs: 30_000 });
  });

  /** Lets the ping promise chains of the keep-alive settle. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }

  function keepAliveOn(clock: ManualClock, guard: OptionsRateGuard, intervalMs: number) {
    const sentAtMs: number[] = [];
    const statuses: OptionsStatus[] = [];
    const keepAlive = new OptionsKeepAlive({
      clock,
      guard,
      intervalMs,
      ping: () => {
        sentAtMs.push(clock.now());
        return Promise.resolve(answered(clock.wallNow()));
      },
      onStatus: (status) => statuses.push(status),
    });
    return { keepAlive, sentAtMs, statuses };
  }

  it('paces a keep-alive configured for every second at the 15 s floor', async () => {
    const clock = new ManualClock();
    const guard = new OptionsRateGuard(1_000);
    const { keepAlive, sentAtMs, statuses } = keepAliveOn(clock, guard, 1_000);
    keepAlive.start();
    for (let second = 0; second < 61; second++) {
      await settle();
      clock.advance(1_000);
    }
    keepAlive.stop();
    expect(sentAtMs).toEqual([0, 15_000, 30_000, 45_000, 60_000]);
    expect(statuses).toHaveLength(5);
    expect(clock.pendingTimers).toBe(0);
  });

  it('shares the guard with manual pings: one between two keep-alives pushes the next one back', async () => {
    const clock = new ManualClock();
    const guard = new OptionsRateGuard();
    const { keepAlive, sentAtMs } = keepAliveOn(clock, guard, 30_000);
    keepAlive.start();
    const manual: number[] = [];
    for (let second = 0; second <= 70; second++) {
      await settle();
      if (second === 40 || second === 50) {
        if (guard.tryAcquire(clock.now()).allowed) manual.push(clock.now());
      }
      clock.advance(1_000);
    }
    keepAlive.stop();
    // 40 s is only 10 s after the 30 s ping (refused); 50 s is 20 s after it (sent); the keep-alive due at 60 s
    // waits until 65 s, 15 s after the manual ping.
    expect(manual).toEqual([50_000]);
    expect(sentAtMs).toEqual([0, 30_000, 65_000]);
  });
});
