// TimedFifo: order, times, emptiness, and that it gives back what it holds across its compaction.

import { describe, expect, it } from 'vitest';
import { TimedFifo } from '../../src/common/timed-fifo.js';

describe('TimedFifo', () => {
  it('gives items back oldest first, with the oldest time in front', () => {
    const fifo = new TimedFifo<string>();
    expect(fifo.size).toBe(0);
    expect(fifo.oldestTime()).toBe(Infinity);
    expect(fifo.shift()).toBeUndefined();
    fifo.push('a', 10);
    fifo.push('b', 20);
    fifo.push('c', 20);
    expect(fifo.size).toBe(3);
    expect(fifo.oldestTime()).toBe(10);
    expect(fifo.shift()).toBe('a');
    expect(fifo.oldestTime()).toBe(20);
    expect([fifo.shift(), fifo.shift()]).toEqual(['b', 'c']);
    expect(fifo.size).toBe(0);
    expect(fifo.oldestTime()).toBe(Infinity);
  });

  it('keeps order and times when it drops its consumed front, and while items come and go', () => {
    const fifo = new TimedFifo<number>();
    const taken: number[] = [];
    let pushed = 0;
    // Far past the point where the front is dropped (1,024 consumed and at least half the arrays), several times.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1_500; i++, pushed++) fifo.push(pushed, pushed * 2);
      while (fifo.size > 700) {
        expect(fifo.oldestTime()).toBe(taken.length * 2);
        taken.push(fifo.shift()!);
      }
    }
    while (fifo.size > 0) taken.push(fifo.shift()!);
    expect(taken).toEqual(Array.from({ length: pushed }, (_, i) => i));
  });

  it('starts again empty after clear', () => {
    const fifo = new TimedFifo<{ id: number }>();
    fifo.push({ id: 1 }, 1);
    fifo.push({ id: 2 }, 2);
    expect(fifo.shift()).toEqual({ id: 1 });
    fifo.clear();
    expect(fifo.size).toBe(0);
    expect(fifo.shift()).toBeUndefined();
    fifo.push({ id: 3 }, 3);
    expect(fifo.shift()).toEqual({ id: 3 });
  });
});
