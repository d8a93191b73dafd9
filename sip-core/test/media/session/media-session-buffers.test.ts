import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { linearFromMulaw } from '../../../src/media/codec/g711.js';
import type { SrtpPolicy } from '../../../src/media/offer-answer/sdp-negotiator.js';
import type { AudioSource } from '../../../src/media/session/audio-source.js';
import { PcmFrameSink } from '../../../src/media/session/pcm-frame-sink.js';
import { type SessionPair, advanceMedia, loopbackSessionPair } from '../../support/media-session-pair.js';

// The session reuses buffers on its per-packet paths (docs/adr/0057): one RTP buffer under SRTP on the way out (the
// SRTP transport protects into a new one), one decode array and one playout frame on the way in. None of that may
// corrupt a packet that is still queued: below the session, in a transport that keeps what it is given and sends it
// later (as node:dgram does when the socket would block; the impairment stage copies), or in the far end's jitter
// buffer. Every frame A sends carries its own µ-law-exact level, so B can tell a frame overwritten by a later one.

/** µ-law codes whose decoded values are distinct and survive encode/decode exactly. */
const LEVELS = Array.from({ length: 100 }, (_, k) => linearFromMulaw(0x80 + 10 + k));

class CountingSource implements AudioSource {
  frames = 0;
  read(out: Int16Array): void {
    out.fill(LEVELS[this.frames++ % LEVELS.length]);
  }
}

let pair: SessionPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe.each<SrtpPolicy>(['mandatory', 'off'])('MediaSession buffer reuse (SRTP %s)', (srtpPolicy) => {
  it('delivers every frame intact through a transport that keeps buffers and sends them late, out of order', async () => {
    const clock = new ManualClock();
    pair = loopbackSessionPair(clock, {
      srtpPolicy,
      a: { statsIntervalMs: 0 },
      b: { statsIntervalMs: 0, jitterBuffer: { minDelayMs: 80 } },
    });
    // A's transport keeps each buffer it is handed for 40-69 ms before it leaves (out of order, some twice).
    const wire = pair.transports![0];
    const send = wire.sendRtp.bind(wire);
    let handed = 0;
    wire.sendRtp = (packet) => {
      const n = handed++;
      clock.setTimeout(() => send(packet), 40 + ((n * 7) % 30));
      if (n % 20 === 0) clock.setTimeout(() => send(packet), 75);
    };
    const source = new CountingSource();
    pair.a.setSource(source);
    const heard: number[] = [];
    pair.b.addSink(
      new PcmFrameSink((frame, kind) => (kind === 'audio' ? heard.push(frame[100]) : undefined)),
    );
    await advanceMedia(clock, 4000);

    const stats = pair.b.stats();
    expect(stats.srtp?.authFailures ?? 0).toBe(0);
    expect(stats.drops).toEqual(
      srtpPolicy === 'off' ? {} : { 'srtp:replayed': expect.any(Number) as number },
    );
    expect(stats.jitterBuffer.reordered).toBeGreaterThan(0);
    expect(heard.length).toBeGreaterThan(150);
    // Each frame played is whole (one level throughout) and the levels follow the order A sent them in.
    const order = heard.map((level) => LEVELS.indexOf(level));
    expect(order.every((k) => k >= 0)).toBe(true);
    for (let i = 1; i < order.length; i++) {
      const step = (order[i] - order[i - 1] + LEVELS.length) % LEVELS.length;
      expect(step, `frame ${i}: level ${order[i - 1]} then ${order[i]}`).toBeGreaterThanOrEqual(1);
      expect(step).toBeLessThanOrEqual(4);
    }
    // The duplicates reached B and were recognised: as replays under SRTP, by the jitter buffer otherwise.
    expect((stats.srtp?.replays ?? 0) + stats.jitterBuffer.duplicated).toBeGreaterThan(0);
  });
});
