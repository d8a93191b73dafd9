import { describe, expect, it } from 'vitest';
import { CounterUnwrapper } from '../../../src/media/jitter/rtp-sequence.js';

describe('CounterUnwrapper', () => {
  it.each([
    ['16-bit forward across the wrap', 16, [65534, 65535, 0, 1], [131070, 131071, 131072, 131073]],
    ['16-bit reordered across the wrap', 16, [65535, 1, 0, 65534], [131071, 131073, 131072, 131070]],
    ['16-bit an old value after a jump keeps its place', 16, [10, 9000, 11], [65546, 74536, 65547]],
    [
      '32-bit timestamps across the wrap',
      32,
      [2 ** 32 - 160, 0, 160],
      [2 ** 33 - 160, 2 ** 33, 2 ** 33 + 160],
    ],
  ] as const)('%s', (_, bits, values, expected) => {
    const unwrapper = new CounterUnwrapper(bits);
    expect(values.map((v) => unwrapper.unwrap(v))).toEqual(expected);
  });

  it('starts over after reset', () => {
    const unwrapper = new CounterUnwrapper(16);
    unwrapper.unwrap(65535);
    unwrapper.unwrap(5);
    unwrapper.reset();
    expect(unwrapper.unwrap(5)).toBe(65541);
  });
});
