import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES, MAX_RATE_ADJUSTMENT, PlaybackQueue } from '../src/audio/pcm-resampler.js';

// The worklet's playback queue with drift compensation (ADR 0147), driven like the real thing: the host writes a
// 20 ms frame whenever its clock says so, the sound card reads a render quantum at a time on its own clock. Time
// is counted in output samples at 8 kHz (so one output sample is one queued sample at the nominal rate).

const QUANTUM = 40;
const TARGET = 80;
const options = { maxFrames: 8, primeFrames: 1, targetSamples: TARGET };

interface Run {
  /** The level after each read. */
  readonly levels: number[];
  /** Underruns so far, after each read. */
  readonly underruns: number[];
  readonly output: number[];
}

/**
 * Plays `seconds` of audio. The writer's clock runs `drift` slower than the reader's (negative: faster); it is
 * stalled while `stalled(ms)` (its frames then arrive at once) and writes frames `perWrite` at a time.
 */
function run(
  queue: PlaybackQueue,
  seconds: number,
  drift: number,
  { stalled, perWrite = 1 }: { stalled?: (ms: number) => boolean; perWrite?: number } = {},
): Run {
  const result: Run = { levels: [], underruns: [], output: [] };
  const out = new Float32Array(QUANTUM);
  const frame = new Int16Array(FRAME_SAMPLES).fill(16_000);
  const interval = FRAME_SAMPLES * (1 + drift) * perWrite;
  let nextWriteAt = 0;
  for (let t = 0; t < seconds * 8000; t += QUANTUM) {
    while (nextWriteAt <= t && !(stalled?.(t / 8) ?? false)) {
      for (let i = 0; i < perWrite; i++) queue.write(frame);
      nextWriteAt += interval;
    }
    queue.read(out);
    result.levels.push(queue.size);
    result.underruns.push(queue.underruns);
    result.output.push(...out);
  }
  return result;
}

/** The second half of a run: what it settled at. */
const settled = (values: number[]): number[] => values.slice(values.length / 2);

describe('PlaybackQueue with a target level', () => {
  it('holds the target: the low level between frames settles at it, not at the maximum', () => {
    const queue = new PlaybackQueue(8000, options);
    const { levels } = run(queue, 20, 0);
    expect(Math.min(...settled(levels))).toBeGreaterThanOrEqual(TARGET - 10);
    expect(Math.min(...settled(levels))).toBeLessThanOrEqual(TARGET + 10);
    expect(Math.max(...settled(levels))).toBeLessThanOrEqual(TARGET + FRAME_SAMPLES);
    expect([queue.overruns, queue.underruns, queue.adjustments]).toEqual([0, 0, 0]);
  });

  it.each([
    ['the host runs 1 % slow: playback slows down to match', 0.01],
    ['the host runs 1 % fast: playback speeds up to match', -0.01],
  ])('%s, the level stays near the target without under- or overruns once settled', (_name, drift) => {
    const queue = new PlaybackQueue(8000, options);
    const { levels, underruns } = run(queue, 60, drift);
    const target = queue.targetSamples!;
    expect(Math.min(...settled(levels))).toBeGreaterThanOrEqual(target - 20);
    expect(Math.max(...settled(levels))).toBeLessThanOrEqual(target + FRAME_SAMPLES + 20);
    expect(new Set(settled(underruns)).size).toBe(1);
    expect(queue.overruns).toBe(0);
    expect(Math.abs(queue.rate - 1 + drift)).toBeLessThan(0.002);
    expect(Math.abs(queue.rate - 1)).toBeLessThanOrEqual(MAX_RATE_ADJUSTMENT);
  });

  it('absorbs frames that arrive in pairs (20 ms of jitter): the cushion grows, then no more underruns', () => {
    const queue = new PlaybackQueue(8000, options);
    const { levels, underruns } = run(queue, 30, 0, { perWrite: 2 });
    expect(new Set(settled(underruns)).size).toBe(1);
    expect(queue.targetSamples).toBeLessThanOrEqual(TARGET + FRAME_SAMPLES);
    expect(Math.max(...settled(levels))).toBeLessThanOrEqual(queue.targetSamples! + 2 * FRAME_SAMPLES);
    expect(queue.overruns).toBe(0);
  });

  it('drops what a burst leaves standing back to the target', () => {
    const queue = new PlaybackQueue(8000, options);
    run(queue, 5, 0);
    // Four extra frames at once (a duplicate burst from upstream): a standing surplus of 80 ms.
    for (let i = 0; i < 4; i++) queue.write(new Int16Array(FRAME_SAMPLES));
    const { levels } = run(queue, 5, 0);
    expect(queue.adjustments).toBe(1);
    expect(queue.overruns).toBe(0);
    expect(Math.max(...settled(levels))).toBeLessThanOrEqual(TARGET + FRAME_SAMPLES + 10);
  });

  it('plays silence on an underrun, starts again at the cushion, and is bounded by maxFrames', () => {
    const queue = new PlaybackQueue(8000, options);
    const stall = run(queue, 3, 0, { stalled: (ms) => ms >= 1000 && ms < 2000 });
    expect(queue.underruns).toBe(1);
    // Silence through the stall, audio again after it.
    expect(stall.output.slice(12_000, 15_000).every((x) => x === 0)).toBe(true);
    expect(stall.output.slice(-100).every((x) => x > 0.4)).toBe(true);
    for (let i = 0; i < 20; i++) queue.write(new Int16Array(FRAME_SAMPLES));
    expect(queue.size).toBe(8 * FRAME_SAMPLES);
  });
});
