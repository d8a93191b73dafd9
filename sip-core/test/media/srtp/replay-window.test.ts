import { describe, expect, it } from 'vitest';
import { ReplayWindow } from '../../../src/media/srtp/replay-window.js';

describe('ReplayWindow (RFC 3711 §3.3.2)', () => {
  it('accepts each index once and refuses what fell out of the window', () => {
    const window = new ReplayWindow(64);
    const verdicts: string[] = [];
    for (const index of [0, 1, 5, 3, 5, 70, 6, 7, 69, 2 ** 40, 2 ** 40 - 63, 2 ** 40 - 64]) {
      const verdict = window.check(index);
      verdicts.push(verdict);
      if (verdict === 'new') window.accept(index);
    }
    expect(verdicts).toEqual([
      'new',
      'new',
      'new',
      'new',
      'replayed',
      'new',
      'too-old',
      'new',
      'new',
      'new',
      'new',
      'too-old',
    ]);
    expect(window.highest).toBe(2 ** 40);
  });

  it('clears the slots it slides over, so an index that reuses a slot is new', () => {
    const window = new ReplayWindow(64);
    window.accept(10);
    window.accept(80);
    expect(window.check(74)).toBe('new');
    window.accept(74);
    expect(window.check(74)).toBe('replayed');
  });

  it('keeps a larger window (128 by default)', () => {
    const window = new ReplayWindow();
    window.accept(200);
    expect(window.check(73)).toBe('new');
    expect(window.check(72)).toBe('too-old');
  });

  it.each([32, 63, 100])('refuses a window of %i', (size) => {
    expect(() => new ReplayWindow(size)).toThrow(RangeError);
  });
});
