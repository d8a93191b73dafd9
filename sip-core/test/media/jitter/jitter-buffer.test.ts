import { describe, expect, it } from 'vitest';
import {
  JitterBuffer,
  type JitterBufferFrame,
  type JitterBufferOptions,
  type JitterBufferStats,
} from '../../../src/media/jitter/jitter-buffer.js';
import { gaussian, seededRandom } from '../../support/seeded-random.js';

// A deterministic simulated RTP stream: the sender makes one 20 ms packet every 20 ms; the network adds a
// base delay, jitter from a per-phase model, loss and duplication (seeded PRNG); the receiver pushes every
// packet that has arrived and pulls one frame every 20 ms. Every frame's samples carry its index, so the
// output can be checked for order and content.

const FRAME = 160;
const SIGNATURE_BASE = 1000;

function payloadFor(index: number): Int16Array {
  return new Int16Array(FRAME).fill(SIGNATURE_BASE + (index % 30000));
}

/** The frame index an audio frame carries (read mid-frame, past any cross-fade at its start). */
function indexOf(frame: Int16Array): number {
  return (frame[100] ?? 0) - SIGNATURE_BASE;
}

interface Arrival {
  readonly index: number;
  readonly arrivalMs: number;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
}

interface NetworkPhase {
  /** Packets sent in this phase. */
  readonly packets: number;
  /** Extra delay of each packet beyond the base, ms. */
  readonly jitterMs: (random: () => number) => number;
  readonly lossRate?: number;
  readonly duplicateRate?: number;
}

interface Simulation {
  readonly outputs: Array<JitterBufferFrame & { atMs: number }>;
  readonly buffer: JitterBuffer;
  readonly sentTotal: number;
  readonly dropped: Set<number>;
  /** Stats snapshot at the end of each phase. */
  readonly phaseEnds: Array<JitterBufferStats & { atMs: number }>;
}

function simulate(
  phases: NetworkPhase[],
  options: {
    seed?: number;
    buffer?: JitterBufferOptions;
    startSequence?: number;
    startTimestamp?: number;
  } = {},
): Simulation {
  const random = seededRandom(options.seed ?? 1);
  const arrivals: Arrival[] = [];
  const dropped = new Set<number>();
  const phaseEndMs: number[] = [];
  let index = 0;
  for (const phase of phases) {
    for (let k = 0; k < phase.packets; k++, index++) {
      const sendMs = index * 20;
      if (random() < (phase.lossRate ?? 0)) {
        dropped.add(index);
        continue;
      }
      const copies = random() < (phase.duplicateRate ?? 0) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        arrivals.push({
          index,
          arrivalMs: sendMs + 30 + Math.max(0, phase.jitterMs(random)),
          sequence: ((options.startSequence ?? 1) + index) & 0xffff,
          timestamp: ((options.startTimestamp ?? 0) + index * FRAME) >>> 0,
          ssrc: 0x5eed,
        });
      }
    }
    phaseEndMs.push(index * 20 + 30);
  }
  arrivals.sort((a, b) => a.arrivalMs - b.arrivalMs);
  const buffer = new JitterBuffer(options.buffer);
  const outputs: Simulation['outputs'] = [];
  const phaseEnds: Simulation['phaseEnds'] = [];
  const endMs = index * 20 + 600;
  let next = 0;
  for (let now = 7; now < endMs; now += 20) {
    while (next < arrivals.length && (arrivals[next]?.arrivalMs ?? 0) <= now) {
      const a = arrivals[next++];
      buffer.push({
        sequence: a.sequence,
        timestamp: a.timestamp,
        payload: payloadFor(a.index),
        arrivalMs: a.arrivalMs,
        ssrc: a.ssrc,
      });
    }
    outputs.push({ ...buffer.pull(now), atMs: now });
    while (phaseEnds.length < phaseEndMs.length && now >= (phaseEndMs[phaseEnds.length] ?? 0)) {
      phaseEnds.push({ ...buffer.stats, atMs: now });
    }
  }
  return { outputs, buffer, sentTotal: index, dropped, phaseEnds };
}

/** Checks the audio frames are originals, in strictly increasing order; returns their indices. */
function expectOrderedAudio(outputs: JitterBufferFrame[]): number[] {
  const indices = outputs.filter((o) => o.kind === 'audio').map((o) => indexOf(o.frame));
  for (let i = 1; i < indices.length; i++)
    expect(indices[i], `audio frame ${i}`).toBeGreaterThan(indices[i - 1] ?? 0);
  return indices;
}

const steady = (): number => 0;

describe('JitterBuffer', () => {
  it('plays an undisturbed stream completely, in order, at the minimum delay', () => {
    const { outputs, buffer } = simulate([{ packets: 500, jitterMs: steady }]);
    expect(outputs.every((o) => o.frame.length === FRAME)).toBe(true);
    expect(expectOrderedAudio(outputs)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const stats = buffer.stats;
    // The end of the stream is one underrun, bridged by 60 ms (3 frames) of concealment, then silence.
    expect(stats).toMatchObject({
      received: 500,
      played: 500,
      late: 0,
      lost: 0,
      concealed: 3,
      duplicated: 0,
      underruns: 1,
    });
    expect(stats.targetDelayMs).toBe(20);
    expect(stats.currentDelayMs).toBeLessThanOrEqual(40);
    // Output frames are whole: before the first audio only silence, between first and last only audio.
    const first = outputs.findIndex((o) => o.kind === 'audio');
    expect(outputs.slice(0, first).every((o) => o.kind === 'silence')).toBe(true);
    expect(outputs.slice(first, first + 500).every((o) => o.kind === 'audio')).toBe(true);
  });

  it('reorders packets that arrive out of order within the target delay', () => {
    // Every 7th packet is held back 30 ms, overtaken by the next one or two.
    let n = 0;
    const { outputs, buffer } = simulate([{ packets: 700, jitterMs: () => (n++ % 7 === 3 ? 30 : 0) }]);
    expect(expectOrderedAudio(outputs)).toHaveLength(700);
    const stats = buffer.stats;
    expect(stats.reordered).toBeGreaterThan(90);
    expect(stats.late).toBe(0);
    expect(stats.lost).toBe(0);
    expect(stats.targetDelayMs).toBeGreaterThanOrEqual(30);
  });

  it('discards a packet that arrives after its time, counts it late, and conceals its slot', () => {
    let n = 0;
    const { outputs, buffer } = simulate([{ packets: 300, jitterMs: () => (n++ === 150 ? 400 : 0) }]);
    const indices = expectOrderedAudio(outputs);
    expect(indices).not.toContain(150);
    expect(indices).toHaveLength(299);
    expect(buffer.stats).toMatchObject({ late: 1, lost: 0, received: 300, played: 299 });
    const slot = outputs.findIndex((o) => o.kind === 'audio' && indexOf(o.frame) === 151) - 1;
    expect(outputs[slot]?.kind).toBe('concealed');
  });

  it('conceals lost packets, counts them, and never repeats or reorders audio', () => {
    const { outputs, buffer, dropped } = simulate(
      [{ packets: 2000, jitterMs: steady, lossRate: 0.05, duplicateRate: 0.03 }],
      {
        seed: 42,
      },
    );
    const indices = expectOrderedAudio(outputs);
    expect(new Set(indices)).toEqual(
      new Set(Array.from({ length: 2000 }, (_, i) => i).filter((i) => !dropped.has(i))),
    );
    const stats = buffer.stats;
    expect(stats.lost).toBe(dropped.size);
    expect(stats.duplicated).toBeGreaterThan(30);
    // Each lost frame became concealment (the concealer fades to silence only after 60 ms of loss in a row).
    expect(
      stats.concealed + stats.silence - outputs.findIndex((o) => o.kind === 'audio'),
    ).toBeGreaterThanOrEqual(dropped.size);
    // Continuity: after the start, every pull yields audio or concealment in place of the missing frame.
    for (let i = 1; i < indices.length; i++) {
      const gap = (indices[i] ?? 0) - (indices[i - 1] ?? 0) - 1;
      for (let missing = 1; missing <= gap; missing++)
        expect(dropped.has((indices[i - 1] ?? 0) + missing)).toBe(true);
    }
  });

  it('adapts up under jitter and back down when it subsides', () => {
    const calm = (r: () => number) => Math.abs(gaussian(r, 0, 1));
    const rough = (r: () => number) => (r() < 0.1 ? 60 + 60 * r() : Math.abs(gaussian(r, 0, 15)));
    const { buffer, phaseEnds, outputs } = simulate(
      [
        { packets: 500, jitterMs: calm },
        { packets: 1500, jitterMs: rough },
        { packets: 1500, jitterMs: calm },
      ],
      { seed: 9 },
    );
    const [afterCalm, afterRough, afterRecovery] = phaseEnds;
    expect(afterCalm?.targetDelayMs).toBeLessThanOrEqual(25);
    expect(afterRough?.targetDelayMs).toBeGreaterThanOrEqual(80);
    expect(afterRough?.currentDelayMs).toBeGreaterThanOrEqual(60);
    expect(afterRecovery?.targetDelayMs).toBeLessThanOrEqual(25);
    expect(afterRecovery?.currentDelayMs).toBeLessThanOrEqual(50);
    expect(buffer.stats.framesInserted).toBeGreaterThan(0);
    expect(buffer.stats.framesDropped).toBeGreaterThan(0);
    // Once adapted (the second half of the rough phase), almost every packet arrives in time.
    const roughSecondHalf = outputs.filter((o) => o.atMs > 25 * 1000 && o.atMs < 40 * 1000);
    const notAudio = roughSecondHalf.filter((o) => o.kind !== 'audio').length;
    expect(notAudio / roughSecondHalf.length).toBeLessThan(0.03);
    expectOrderedAudio(outputs);
  });

  it('handles sequence number and timestamp wrap-around', () => {
    const { outputs, buffer } = simulate([{ packets: 400, jitterMs: steady }], {
      startSequence: 65400,
      startTimestamp: 2 ** 32 - 160 * 100,
    });
    expect(expectOrderedAudio(outputs)).toHaveLength(400);
    expect(buffer.stats).toMatchObject({ resets: 0, lost: 0, late: 0 });
  });

  it('resets on a new SSRC and on a timestamp jump, but not on silence suppression', () => {
    const buffer = new JitterBuffer();
    const out: JitterBufferFrame[] = [];
    let now = 5;
    const feed = (
      count: number,
      first: { index: number; sequence: number; timestamp: number; ssrc: number; arrivalMs: number },
    ) => {
      for (let k = 0; k < count; k++) {
        const arrivalMs = first.arrivalMs + 20 * k;
        while (now < arrivalMs) {
          out.push(buffer.pull(now));
          now += 20;
        }
        buffer.push({
          sequence: (first.sequence + k) & 0xffff,
          timestamp: (first.timestamp + 160 * k) >>> 0,
          payload: payloadFor(first.index + k),
          arrivalMs,
          ssrc: first.ssrc,
        });
      }
    };
    feed(50, { index: 0, sequence: 100, timestamp: 8000, ssrc: 1, arrivalMs: 0 });
    // Silence suppression: 1 s without packets, timestamps jump with the arrival times.
    feed(50, { index: 50, sequence: 150, timestamp: 8000 + 50 * 160 + 8000, ssrc: 1, arrivalMs: 2000 });
    expect(buffer.stats.resets).toBe(0);
    // A new source behind the same SSRC: the timestamp jumps by an hour.
    feed(50, { index: 100, sequence: 200, timestamp: 8000 * 3600, ssrc: 1, arrivalMs: 4000 });
    expect(buffer.stats.resets).toBe(1);
    // A new SSRC.
    feed(50, { index: 150, sequence: 7, timestamp: 123456, ssrc: 2, arrivalMs: 6000 });
    for (let k = 0; k < 20; k++, now += 20) out.push(buffer.pull(now));
    expect(buffer.stats.resets).toBe(2);
    const indices = expectOrderedAudio(out);
    expect(indices).toHaveLength(200);
    // The pause played as silence, not as audio stretched or delayed: the delay stayed low throughout.
    expect(buffer.stats.currentDelayMs).toBeLessThanOrEqual(40);
    expect(buffer.stats.late).toBe(0);
  });

  it('cuts the delay back after a burst that would exceed the maximum (overflow)', () => {
    let n = 0;
    // A 600 ms stall releases 30 packets at once.
    const { buffer, outputs } = simulate([
      { packets: 600, jitterMs: () => (n >= 200 && n < 230 ? 600 - 20 * (n++ - 200) : (n++, 0)) },
    ]);
    const stats = buffer.stats;
    expect(stats.overflows + stats.framesDropped).toBeGreaterThan(0);
    expect(stats.currentDelayMs).toBeLessThanOrEqual(200);
    expectOrderedAudio(outputs);
  });

  it('counts malformed packets and stays usable', () => {
    const buffer = new JitterBuffer();
    buffer.push({ sequence: 1, timestamp: 0, payload: new Int16Array(0), arrivalMs: 0 });
    buffer.push({ sequence: Number.NaN, timestamp: 0, payload: payloadFor(0), arrivalMs: 0 });
    buffer.push({ sequence: 1, timestamp: 0, payload: 'x' as unknown as Int16Array, arrivalMs: 0 });
    expect(buffer.stats).toMatchObject({ malformed: 3, received: 0, lost: 0 });
    expect(buffer.pull(0).kind).toBe('silence');
  });

  it('accepts packets of 10 ms and plays them as 20 ms frames', () => {
    const buffer = new JitterBuffer();
    const out: JitterBufferFrame[] = [];
    for (let k = 0; k < 100; k++) {
      buffer.push({
        sequence: k,
        timestamp: k * 80,
        payload: new Int16Array(80).fill(SIGNATURE_BASE + Math.floor(k / 2)),
        arrivalMs: k * 10,
      });
      if (k % 2 === 1) out.push(buffer.pull(k * 10 + 1));
    }
    expect(expectOrderedAudio(out).length).toBeGreaterThan(45);
  });

  it.each([{ minDelayMs: 50, maxDelayMs: 20 }, { frameSamples: 0 }, { windowPackets: 1 }])(
    'rejects options %o',
    (options) => {
      expect(() => new JitterBuffer(options)).toThrowError(
        expect.objectContaining({ code: 'JITTER_BUFFER_INVALID_OPTION' }) as Error,
      );
    },
  );

  it('copies what it buffers: one reused packet array and one reused output frame play exactly what fresh ones do', () => {
    // 30-90 ms of jitter keeps several packets queued at once; reordering and loss exercise every path. The reused
    // array is overwritten by each next packet while earlier ones are still waiting: the buffer must have copied.
    const random = seededRandom(11);
    const arrivals: Array<{ index: number; arrivalMs: number }> = [];
    for (let index = 0; index < 400; index++) {
      if (random() < 0.03) continue;
      arrivals.push({ index, arrivalMs: index * 20 + 30 + random() * 60 });
    }
    arrivals.sort((a, b) => a.arrivalMs - b.arrivalMs);
    const fresh = new JitterBuffer();
    const reusing = new JitterBuffer();
    const reusedPayload = new Int16Array(FRAME);
    const reusedPacket = { sequence: 0, timestamp: 0, payload: reusedPayload, arrivalMs: 0, ssrc: 7 };
    const reusedFrame = new Int16Array(FRAME);
    let next = 0;
    let compared = 0;
    for (let now = 5; now < 400 * 20 + 300; now += 20) {
      for (; next < arrivals.length && arrivals[next].arrivalMs <= now; next++) {
        const { index, arrivalMs } = arrivals[next];
        fresh.push({
          sequence: index,
          timestamp: index * FRAME,
          payload: payloadFor(index),
          arrivalMs,
          ssrc: 7,
        });
        reusedPayload.fill(SIGNATURE_BASE + index);
        reusedPacket.sequence = index;
        reusedPacket.timestamp = index * FRAME;
        reusedPacket.arrivalMs = arrivalMs;
        reusing.push(reusedPacket);
      }
      const expected = fresh.pull(now);
      const kind = reusing.pullInto(now, reusedFrame);
      expect(kind).toBe(expected.kind);
      expect(Array.from(reusedFrame)).toEqual(Array.from(expected.frame));
      compared++;
    }
    expect(compared).toBeGreaterThan(400);
    expect(reusing.stats).toEqual(fresh.stats);
    expect(fresh.stats.played).toBeGreaterThan(350);
    expect(() => reusing.pullInto(0, new Int16Array(FRAME - 1))).toThrowError(
      expect.objectContaining({ code: 'JITTER_BUFFER_INVALID_OPTION' }) as Error,
    );
  });

  it('keeps its target delay exactly on the window quantile while the window slides (ties and jumps both ways)', () => {
    // The sorted transit window is updated in place (the leaving value out and the new one in, in one move); the
    // target must stay what sorting the last `windowPackets` transits gives, for every packet.
    const windowPackets = 8;
    const inTimeQuantile = 0.75;
    const buffer = new JitterBuffer({ windowPackets, inTimeQuantile, minDelayMs: 0, maxDelayMs: 1000 });
    const random = seededRandom(3711);
    const transits: number[] = [];
    const payload = new Int16Array(FRAME);
    for (let i = 0; i < 400; i++) {
      // Half-millisecond steps give ties; an occasional 150 ms spike moves values far across the window.
      const jitterMs = Math.round(random() * 80) / 2 + (random() < 0.05 ? 150 : 0);
      const arrivalMs = 1000 + 20 * i + jitterMs;
      buffer.push({ sequence: i, timestamp: i * FRAME, payload, arrivalMs, ssrc: 1 });
      transits.push(arrivalMs - (i * FRAME) / 8);
      const window = transits.slice(-windowPackets).sort((x, y) => x - y);
      const quantile = window[Math.min(window.length - 1, Math.ceil(inTimeQuantile * window.length) - 1)];
      expect(buffer.stats.targetDelayMs, `packet ${i}`).toBe(quantile - window[0]);
    }
  });
});
