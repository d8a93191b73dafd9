import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { ExpiryQueue } from '../../../src/sip/transaction/index.js';

/** An item that writes down when it ended. */
function recorder(clock: ManualClock, log: string[]) {
  return (name: string) => ({ terminate: () => log.push(`${name}@${clock.now()}`) });
}

describe('ExpiryQueue (the last waits of transactions on one clock timer)', () => {
  it('ends each item exactly its delay after it was added, in order, with waits of several lengths', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const item = recorder(clock, log);
    const queue = new ExpiryQueue(clock);
    queue.add(item('J1'), 32_000);
    clock.advance(1_000);
    queue.add(item('I1'), 5_000);
    queue.add(item('J2'), 32_000);
    clock.advance(2_000);
    queue.add(item('I2'), 5_000);
    expect(queue.size).toBe(4);
    clock.advance(40_000);
    expect(log).toEqual(['I1@6000', 'I2@8000', 'J1@32000', 'J2@33000']);
    expect(queue.size).toBe(0);
  });

  it('ends an item with no delay at once, without a timer', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const queue = new ExpiryQueue(clock);
    queue.add(recorder(clock, log)('K'), 0);
    expect(log).toEqual(['K@0']);
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('holds one clock timer however many items wait', () => {
    const clock = new ManualClock();
    const queue = new ExpiryQueue(clock);
    for (let i = 0; i < 10_000; i++) queue.add({ terminate: () => {} }, 32_000);
    queue.add({ terminate: () => {} }, 5_000);
    expect(clock.pendingTimers).toBe(1);
  });

  it('keeps order and exact instants through thousands of waits (the arrays are compacted on the way)', () => {
    const clock = new ManualClock();
    const ended: number[] = [];
    const queue = new ExpiryQueue(clock);
    for (let i = 0; i < 5_000; i++) {
      const addedAt = clock.now();
      queue.add({ terminate: () => ended.push(clock.now() - addedAt) }, 1_000);
      clock.advance(1);
    }
    clock.advance(2_000);
    expect(ended).toHaveLength(5_000);
    expect(new Set(ended)).toEqual(new Set([1_000]));
  });

  it('forgets everything and stops its timer on clear()', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const queue = new ExpiryQueue(clock);
    queue.add(recorder(clock, log)('J'), 32_000);
    queue.clear();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(64_000);
    expect(log).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('still ends the others, a moment later, when an item throws', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const item = recorder(clock, log);
    const queue = new ExpiryQueue(clock);
    queue.add(
      {
        terminate: () => {
          throw new Error('a bug');
        },
      },
      100,
    );
    queue.add(item('after'), 100);
    expect(() => clock.advance(100)).toThrow('a bug');
    clock.advance(1);
    expect(log).toEqual(['after@100']);
  });
});
