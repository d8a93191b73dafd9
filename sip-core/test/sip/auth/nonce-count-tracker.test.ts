import { describe, expect, it } from 'vitest';
import {
  NONCE_COUNT_WINDOW,
  NonceCountTracker,
  type NonceCountVerdict,
} from '../../../src/sip/auth/nonce-count-tracker.js';

const T0 = 1_000_000;

function run(uses: ReadonlyArray<readonly [nonce: string, nc: number]>, maxNonces = 16): NonceCountVerdict[] {
  const tracker = new NonceCountTracker({ maxNonces, createdAtMs: T0 });
  return uses.map(([nonce, nc]) => tracker.use(nonce, T0 + 1, nc));
}

describe('NonceCountTracker', () => {
  it.each<[string, ReadonlyArray<readonly [string, number]>, NonceCountVerdict[]]>([
    [
      'counts going up',
      [
        ['a', 1],
        ['a', 2],
        ['a', 3],
      ],
      ['accepted', 'accepted', 'accepted'],
    ],
    [
      'the same count twice',
      [
        ['a', 1],
        ['a', 1],
      ],
      ['accepted', 'replayed'],
    ],
    [
      'a count going back to one already seen',
      [
        ['a', 1],
        ['a', 2],
        ['a', 1],
      ],
      ['accepted', 'accepted', 'replayed'],
    ],
    [
      'out of order within the window (UDP reordering)',
      [
        ['a', 1],
        ['a', 3],
        ['a', 2],
        ['a', 2],
      ],
      ['accepted', 'accepted', 'accepted', 'replayed'],
    ],
    [
      'a jump, then a skipped count',
      [
        ['a', 1],
        ['a', 10],
        ['a', 5],
      ],
      ['accepted', 'accepted', 'accepted'],
    ],
    [
      'a first use that does not start at one',
      [
        ['a', 7],
        ['a', 7],
      ],
      ['accepted', 'replayed'],
    ],
    [
      'nonces counted independently',
      [
        ['a', 1],
        ['b', 1],
        ['a', 2],
        ['b', 1],
      ],
      ['accepted', 'accepted', 'accepted', 'replayed'],
    ],
    [
      'a count older than the window',
      [
        ['a', 1],
        ['a', 1 + NONCE_COUNT_WINDOW],
        ['a', 1],
        ['a', 2],
      ],
      ['accepted', 'accepted', 'replayed', 'accepted'],
    ],
    [
      'the oldest count still inside the window',
      [
        ['a', 40],
        ['a', 40 - (NONCE_COUNT_WINDOW - 1)],
        ['a', 40 - (NONCE_COUNT_WINDOW - 1)],
      ],
      ['accepted', 'accepted', 'replayed'],
    ],
  ])('%s', (_name, uses, expected) => {
    expect(run(uses)).toEqual(expected);
  });

  it('reports nonces issued before it was created as untracked', () => {
    const tracker = new NonceCountTracker({ maxNonces: 4, createdAtMs: T0 });
    expect(tracker.use('old', T0 - 1, 1)).toBe('untracked');
    expect(tracker.use('same-ms', T0, 1)).toBe('accepted');
  });

  it('stays bounded, and an evicted nonce can never be replayed (low-water mark)', () => {
    const tracker = new NonceCountTracker({ maxNonces: 2, createdAtMs: T0 });
    expect(tracker.use('n1', T0 + 1, 1)).toBe('accepted');
    expect(tracker.use('n2', T0 + 2, 1)).toBe('accepted');
    expect(tracker.use('n3', T0 + 3, 1)).toBe('accepted'); // evicts n1, low-water mark = T0 + 1
    expect(tracker.use('n1', T0 + 1, 1)).toBe('untracked'); // the replay is not accepted
    expect(tracker.use('n1', T0 + 1, 2)).toBe('untracked');
    // A nonce issued after every evicted one is still new.
    expect(tracker.use('n4', T0 + 4, 1)).toBe('accepted');
  });

  it('keeps a recently used nonce over an idle one', () => {
    const tracker = new NonceCountTracker({ maxNonces: 2, createdAtMs: T0 });
    tracker.use('busy', T0 + 1, 1);
    tracker.use('idle', T0 + 2, 1);
    tracker.use('busy', T0 + 1, 2); // touch
    tracker.use('new', T0 + 3, 1); // evicts idle
    expect(tracker.use('busy', T0 + 1, 3)).toBe('accepted');
    expect(tracker.use('idle', T0 + 2, 2)).toBe('untracked');
  });
});
