import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { parseRtpPacket } from '../../../src/media/rtp/rtp-packet.js';
import { EchoSource } from '../../../src/media/session/echo-source.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import { type SessionPair, advanceMedia, loopbackSessionPair } from '../../support/media-session-pair.js';

// The echo's loop inside a media session (ADR 0148): B echoes what A sends from the moment each packet arrives,
// before B's jitter buffer, on B's next tick — on the ManualClock over the in-memory loopback, with A's packets
// lost on the way, so what comes back can be checked packet by packet.

let pairs: SessionPair[] = [];
afterEach(async () => {
  await Promise.all(pairs.map((p) => p.close()));
  pairs = [];
});

/** PCMU silence: every payload octet encodes 0. */
const isSilent = (payload: Uint8Array): boolean => payload.every((octet) => octet === 0xff);

describe('MediaSession with an EchoSource', () => {
  it('echoes each packet on the next tick; a lost packet comes back as one silent frame and the loop never grows', async () => {
    const clock = new ManualClock({ startMs: 1000 });
    const pair = loopbackSessionPair(clock);
    pairs.push(pair);
    const [ta, tb] = pair.transports!;
    const lost = new Set<number>();
    let sentByA = 0;
    ta.tap = (datagram, channel) => {
      if (channel !== 'rtp') return datagram;
      // Every tenth packet from A is lost on the way (not the first few nor the last: audio is echoed around each).
      if (++sentByA > 5 && sentByA <= 90 && sentByA % 10 === 0) {
        lost.add(sentByA);
        return undefined;
      }
      return datagram;
    };
    const fromB: { atMs: number; silent: boolean }[] = [];
    tb.tap = (datagram, channel) => {
      const parsed = parseRtpPacket(Buffer.from(datagram));
      if (channel === 'rtp' && parsed.ok)
        fromB.push({ atMs: clock.now(), silent: isSilent(parsed.packet.payload) });
      return datagram;
    };
    const echo = new EchoSource();
    pair.a.setSource(ToneSource.sine(700));
    pair.b.setSource(echo);
    await advanceMedia(clock, 2000);

    // One packet a tick from B, never a burst.
    const intervals = fromB.slice(1).map((p, i) => p.atMs - fromB[i].atMs);
    expect(new Set(intervals)).toEqual(new Set([20]));
    // Between the first echoed frame and the last, exactly the lost packets come back as silence.
    const first = fromB.findIndex((p) => !p.silent);
    const last = fromB.findLastIndex((p) => !p.silent);
    const silentInside = fromB.slice(first, last + 1).filter((p) => p.silent).length;
    expect(lost.size).toBeGreaterThan(5);
    expect(silentInside).toBe(lost.size);
    // Nothing piles up: at most the frame that arrived since B's last tick waits (A's packets land just after it).
    expect(echo.stats.queued).toBeLessThanOrEqual(1);
    expect(echo.stats).toMatchObject({ overruns: 0, trimmed: 0, late: 0 });
    expect(echo.stats.underruns).toBe(lost.size);
  });
});
