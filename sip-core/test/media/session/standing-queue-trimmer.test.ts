import { describe, expect, it } from 'vitest';
import { StandingQueueTrimmer } from '../../../src/media/session/standing-queue-trimmer.js';

/** What the trimmer says at each read for the levels found before them. */
function excesses(trimmer: StandingQueueTrimmer, levels: readonly number[]): number[] {
  return levels.map((level) => trimmer.beforeRead(level));
}

describe('StandingQueueTrimmer', () => {
  it.each<[string, number[], number[]]>([
    ['at the target: nothing to trim', [1, 1, 1, 1], [0, 0, 0, 0]],
    ['a burst within the window: its minimum stays at the target', [1, 4, 3, 2], [0, 0, 0, 0]],
    ['a standing frame over the window: one to trim, at its end', [2, 3, 2, 2], [0, 0, 0, 1]],
    ['settled full (3 over a target of 1): two to trim', [3, 3, 3, 3], [0, 0, 0, 2]],
    ['below the target (underruns): nothing to trim, nothing to add', [0, 1, 0, 0], [0, 0, 0, 0]],
  ])('%s', (_name, levels, expected) => {
    expect(excesses(new StandingQueueTrimmer({ targetFrames: 1, windowReads: 4 }), levels)).toEqual(expected);
  });

  it('starts a new window after each verdict and after reset', () => {
    const trimmer = new StandingQueueTrimmer({ targetFrames: 1, windowReads: 2 });
    expect(excesses(trimmer, [3, 3, 1, 5])).toEqual([0, 2, 0, 0]);
    trimmer.beforeRead(0);
    trimmer.reset();
    expect(excesses(trimmer, [2, 2])).toEqual([0, 1]);
  });

  it('refuses a negative target or an empty window', () => {
    expect(() => new StandingQueueTrimmer({ targetFrames: -1 })).toThrow(RangeError);
    expect(() => new StandingQueueTrimmer({ windowReads: 0 })).toThrow(RangeError);
  });
});
