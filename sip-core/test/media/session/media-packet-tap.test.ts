import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { setListenerErrorHandler } from '../../../src/common/typed-emitter.js';
import type { MediaPacketRecord } from '../../../src/media/session/index.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import { advanceMedia, loopbackSessionPair, type SessionPair } from '../../support/media-session-pair.js';

// The packet tap shows what the application sent and received in plaintext, also under SRTP: what diagnostics
// writes into a PCAP so that an SRTP call can be read in Wireshark.

let pair: SessionPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

function tapped(srtp: boolean): { records: MediaPacketRecord[]; clock: ManualClock; pair: SessionPair } {
  const clock = new ManualClock({ startMs: 1000 });
  pair = loopbackSessionPair(clock, { srtpPolicy: srtp ? 'mandatory' : 'off' });
  pair.a.setSource(ToneSource.sine(1000));
  pair.b.setSource(ToneSource.sine(440));
  const records: MediaPacketRecord[] = [];
  // The tap hands out the session's buffer: a listener that keeps it must copy it.
  pair.a.tapPackets((record) => records.push({ ...record, bytes: Buffer.from(record.bytes) }));
  return { records, clock, pair };
}

describe('MediaSession.tapPackets', () => {
  it.each([false, true])('reports plaintext RTP both ways and RTCP (SRTP %s)', async (srtp) => {
    const { records, clock } = tapped(srtp);
    await advanceMedia(clock, 6000, 5);
    const rtp = (direction: string) => records.filter((r) => r.kind === 'rtp' && r.direction === direction);
    expect(rtp('sent').length).toBeGreaterThan(250);
    expect(rtp('received').length).toBeGreaterThan(250);
    expect(records.some((r) => r.kind === 'rtcp')).toBe(true);
    for (const record of records) {
      expect(record.srtp).toBe(srtp);
      expect(record.bytes[0] >> 6).toBe(2);
    }
    // Plaintext: the sent PCMU payload of a 1 kHz tone repeats every 8 samples; ciphertext would not.
    const payload = rtp('sent')[10].bytes.subarray(12);
    expect(payload.subarray(0, 8)).toEqual(payload.subarray(8, 16));
    expect(rtp('sent')[0]).toMatchObject({
      local: { address: '127.0.0.1', port: 40000 },
      remote: { address: '127.0.0.1', port: 40002 },
    });
    expect(rtp('received')[0]).toMatchObject({ remote: { port: 40002 } });
  });

  it('stops reporting when the subscription is disposed', async () => {
    const clock = new ManualClock({ startMs: 1000 });
    pair = loopbackSessionPair(clock);
    let count = 0;
    const subscription = pair.a.tapPackets(() => count++);
    await advanceMedia(clock, 200, 5);
    subscription.dispose();
    const before = count;
    await advanceMedia(clock, 200, 5);
    expect(before).toBeGreaterThan(0);
    expect(count).toBe(before);
  });

  it('isolates a listener that throws from the media path', async () => {
    const { records, clock, pair: p } = tapped(true);
    const reported: unknown[] = [];
    const previous = setListenerErrorHandler((error) => reported.push(error));
    const throwing = p.a.tapPackets(() => {
      throw new Error('observer bug');
    });
    try {
      await advanceMedia(clock, 1000, 5);
    } finally {
      throwing.dispose();
      setListenerErrorHandler(previous);
    }
    expect(reported.length).toBeGreaterThan(30);
    expect(records.filter((r) => r.direction === 'received').length).toBeGreaterThan(30);
    expect(p.b.stats().received.packets).toBeGreaterThan(30);
  });
});
