import { describe, expect, it } from 'vitest';
import { CadencedToneSource } from '../../../src/emulator/media/cadenced-tone-source.js';
import { FRAME_SAMPLES } from '../../../src/media/codec/pcm-frame.js';
import { ToneSource } from '../../../src/media/session/index.js';

/** Which of the first `frames` frames carry sound ('1') or silence ('0'). */
function pattern(source: CadencedToneSource, frames: number): string {
  const frame = new Int16Array(FRAME_SAMPLES);
  let out = '';
  for (let i = 0; i < frames; i++) {
    source.read(frame);
    out += frame.some((s) => s !== 0) ? '1' : '0';
  }
  return out;
}

describe('CadencedToneSource', () => {
  it.each([
    { cadence: { onMs: 60, offMs: 40 }, expected: '1110011100111' },
    { cadence: { onMs: 20, offMs: 0 }, expected: '11111' },
    { cadence: { onMs: 40, offMs: 100 }, expected: '11000001100000' },
  ])('plays $cadence.onMs ms on, $cadence.offMs ms off, counted in 20 ms frames', ({ cadence, expected }) => {
    const source = new CadencedToneSource(ToneSource.sine(440), cadence);
    expect(pattern(source, expected.length)).toBe(expected);
  });
});
