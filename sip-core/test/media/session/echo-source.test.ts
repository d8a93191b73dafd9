import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../../../src/media/codec/pcm-frame.js';
import { EchoSource } from '../../../src/media/session/echo-source.js';

const frame = (value: number, samples = FRAME_SAMPLES): Int16Array => new Int16Array(samples).fill(value);
/** The RTP timestamp of frame `n` of a stream that starts near the 32-bit wrap (so every test crosses it). */
const ts = (n: number): number => (0xffff_ff00 + n * FRAME_SAMPLES) >>> 0;

function readOne(echo: EchoSource): number {
  const out = new Int16Array(FRAME_SAMPLES).fill(123);
  echo.read(out);
  return out[0];
}

/** Ticks of a loop-back: before each tick the packets given arrive (value = frame number, or a custom frame). */
function loop(echo: EchoSource, arrivals: readonly (readonly number[])[]): number[] {
  return arrivals.map((arriving) => {
    for (const n of arriving) echo.onArrived(frame(n), ts(n));
    return readOne(echo);
  });
}

describe('EchoSource (the emulator echo: arrival → next tick, ADR 0148)', () => {
  it('sends each frame back on the tick after it arrived, in order, across the timestamp wrap', () => {
    const echo = new EchoSource();
    expect(loop(echo, [[1], [2], [3], [4]])).toEqual([1, 2, 3, 4]);
    expect(echo.stats).toMatchObject({ echoed: 4, underruns: 0, queued: 0 });
  });

  it('copies what it is given (the session reuses the decode array)', () => {
    const echo = new EchoSource();
    const reused = frame(5);
    echo.onArrived(reused, ts(1));
    reused.fill(6);
    expect(readOne(echo)).toBe(5);
  });

  it('a lost packet is a tick of silence, and the stream goes on without growing', () => {
    const echo = new EchoSource();
    expect(loop(echo, [[1], [2], [], [4], [5], [], [], [8]])).toEqual([1, 2, 0, 4, 5, 0, 0, 8]);
    expect(echo.stats).toMatchObject({ underruns: 3, queued: 0, late: 0 });
  });

  it('puts reordered packets back in order while they wait', () => {
    const echo = new EchoSource();
    expect(loop(echo, [[1], [3, 2], [4], [], [6, 5], [], []])).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(echo.stats.late).toBe(0);
  });

  it('drops duplicates and packets older than what it already sent', () => {
    const echo = new EchoSource();
    expect(loop(echo, [[1], [2, 2], [1], [3], []])).toEqual([1, 2, 0, 3, 0]);
    expect(echo.stats.late).toBe(2);
  });

  it('is bounded: a burst keeps the newest five frames, and a standing level is trimmed back to one frame', () => {
    const echo = new EchoSource();
    echo.onArrived(frame(1), ts(1));
    readOne(echo);
    // A stall upstream, then eight frames at once: the three oldest go.
    for (let n = 2; n <= 9; n++) echo.onArrived(frame(n), ts(n));
    expect(echo.stats).toMatchObject({ overruns: 3, queued: 5 });
    // Then one frame a tick: the burst's surplus would stay standing; it is trimmed within a window (25 ticks).
    const sent = loop(
      echo,
      Array.from({ length: 60 }, (_, i) => [10 + i]),
    );
    expect(echo.stats.queued).toBe(0);
    expect(echo.stats.trimmed).toBe(4);
    expect(sent.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => 60 + i));
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });

  it('queues a multi-frame packet as its frames and pads a short one with silence', () => {
    const echo = new EchoSource();
    const two = new Int16Array(2 * FRAME_SAMPLES);
    two.fill(7, 0, FRAME_SAMPLES).fill(8, FRAME_SAMPLES);
    echo.onArrived(two, ts(1));
    echo.onArrived(frame(9, 100), ts(3));
    expect([readOne(echo), readOne(echo)]).toEqual([7, 8]);
    const out = new Int16Array(FRAME_SAMPLES);
    echo.read(out);
    expect([out[0], out[99], out[100], out[FRAME_SAMPLES - 1]]).toEqual([9, 9, 0, 0]);
  });

  it('starts over on a timestamp jump of more than a second (a new stream)', () => {
    const echo = new EchoSource();
    expect(loop(echo, [[1], [2]])).toEqual([1, 2]);
    // A new source behind the same SSRC: far behind the last frame sent, yet not late.
    echo.onArrived(frame(50), (ts(2) - 100_000) >>> 0);
    expect(readOne(echo)).toBe(50);
    expect(echo.stats.late).toBe(0);
  });
});
