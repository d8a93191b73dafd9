import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MIN_OPTIONS_INTERVAL_MS, OptionsRateGuard } from '../../../src/checks/index.js';
import { ManualClock } from '../../../src/common/manual-clock.js';

describe('OptionsRateGuard', () => {
  it('cannot be configured below 15 s', () => {
    expect(new OptionsRateGuard({ clock: new ManualClock(), minIntervalMs: 1_000 }).minIntervalMs).toBe(
      MIN_OPTIONS_INTERVAL_MS,
    );
    expect(new OptionsRateGuard({ clock: new ManualClock(), minIntervalMs: 20_000 }).minIntervalMs).toBe(
      20_000,
    );
  });

  it('grants at once, then queues callers 15 s apart per target, other targets independent', async () => {
    const clock = new ManualClock();
    const guard = new OptionsRateGuard({ clock });
    const granted: string[] = [];
    const take = (key: string, label: string) =>
      guard.acquire(key, undefined).then(() => granted.push(`${label}@${clock.now()}`));
    void take('a', 'a1');
    void take('a', 'a2');
    void take('a', 'a3');
    void take('b', 'b1');
    await nextTurn();
    expect(granted).toEqual(['a1@0', 'b1@0']);
    clock.advance(14_999);
    await nextTurn();
    expect(granted).toHaveLength(2);
    clock.advance(1);
    await nextTurn();
    clock.advance(15_000);
    await nextTurn();
    expect(granted).toEqual(['a1@0', 'b1@0', 'a2@15000', 'a3@30000']);
    expect(guard.grants('a')).toEqual([0, 15_000, 30_000]);
  });

  it('lets an aborted waiter leave the queue without taking a grant', async () => {
    const clock = new ManualClock();
    const guard = new OptionsRateGuard({ clock });
    await guard.acquire('a');
    const controller = new AbortController();
    const waiting = guard.acquire('a', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    const next = guard.acquire('a');
    clock.advance(15_000);
    await next;
    expect(guard.grants('a')).toEqual([0, 15_000]);
    expect(clock.pendingTimers).toBe(0);
  });
});
