import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../../../src/media/codec/pcm-frame.js';
import { PcmPushSource } from '../../../src/media/session/pcm-push-source.js';

const frame = (value: number): Int16Array => new Int16Array(FRAME_SAMPLES).fill(value);

/** Runs `ticks` session ticks; before tick i, `pushes(i)` frames arrive from the app. Returns the levels found. */
function run(
  source: PcmPushSource,
  ticks: number,
  pushes: (tick: number) => number,
): { levels: number[]; played: number[] } {
  const levels: number[] = [];
  const played: number[] = [];
  const out = new Int16Array(FRAME_SAMPLES);
  let next = 1;
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = 0; i < pushes(tick); i++) source.push(frame(next++));
    levels.push(source.stats.queued);
    source.read(out);
    played.push(out[0]);
  }
  return { levels, played };
}

describe('PcmPushSource with a target level (the host microphone queue, ADR 0147)', () => {
  const options = { maxQueuedFrames: 5, targetFrames: 1, trimWindowReads: 25 };

  it('holds the target: one frame per tick in, one out, nothing trimmed', () => {
    const source = new PcmPushSource(options);
    const { levels } = run(source, 200, () => 1);
    expect(new Set(levels)).toEqual(new Set([1]));
    expect(source.stats).toMatchObject({ underruns: 0, overruns: 0, trimmed: 0 });
  });

  it('absorbs a burst, then trims what the burst left standing back to the target', () => {
    const source = new PcmPushSource(options);
    // A WebSocket stall: nothing for three ticks, then the four frames at once.
    const { levels, played } = run(source, 200, (tick) =>
      tick < 10 ? 1 : tick < 13 ? 0 : tick === 13 ? 4 : 1,
    );
    expect(source.stats.underruns).toBe(3);
    expect(levels.slice(13, 20)).toEqual([4, 4, 4, 4, 4, 4, 4]);
    expect(levels.slice(-20).every((level) => level === 1)).toBe(true);
    expect(source.stats.trimmed).toBe(3);
    // Audio stays in order: what was trimmed is the oldest.
    const audio = played.filter((value) => value > 0);
    expect(audio).toEqual([...audio].sort((a, b) => a - b));
  });

  it('follows an app clock that runs fast: the surplus is trimmed, the level stays bounded near the target', () => {
    const source = new PcmPushSource(options);
    // One extra frame every 20 ticks (a 5 % fast clock, exaggerated so the test stays short): 50 extra frames.
    const { levels } = run(source, 1000, (tick) => (tick % 20 === 19 ? 2 : 1));
    expect(Math.max(...levels)).toBeLessThanOrEqual(4);
    expect(source.stats.trimmed).toBeGreaterThanOrEqual(45);
    expect(source.stats.overruns).toBe(0);
  });

  it('follows an app clock that runs slow: underruns send silence, the level never grows', () => {
    const source = new PcmPushSource(options);
    const { levels, played } = run(source, 1000, (tick) => (tick % 10 === 9 ? 0 : 1));
    expect(source.stats.underruns).toBe(100);
    expect(played.filter((value) => value === 0)).toHaveLength(100);
    expect(Math.max(...levels)).toBe(1);
    expect(source.stats.trimmed).toBe(0);
  });

  it('without a target it drops only when full (the old policy), so a burst stays standing', () => {
    const source = new PcmPushSource({ maxQueuedFrames: 5 });
    const { levels } = run(source, 200, (tick) => (tick === 0 ? 4 : 1));
    expect(levels.at(-1)).toBe(4);
    expect(source.stats.trimmed).toBe(0);
  });
});
