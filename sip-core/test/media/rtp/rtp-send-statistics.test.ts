import { describe, expect, it } from 'vitest';
import { RtpSendStatistics } from '../../../src/media/rtp/rtp-send-statistics.js';

describe('RtpSendStatistics', () => {
  it('counts packets and payload octets and extrapolates the RTP timestamp of the report instant', () => {
    const stats = new RtpSendStatistics(8000);
    expect(stats.takeSentSinceReport()).toBe(false);
    stats.onPacketSent(1000, 160, 0);
    stats.onPacketSent(1160, 160, 20);
    const info = stats.senderInfo(25, Date.UTC(2026, 0, 1));
    expect(info).toEqual({
      ntpSeconds: 3_976_214_400,
      ntpFraction: 0,
      rtpTimestamp: 1160 + 40,
      packetCount: 2,
      octetCount: 320,
    });
    expect(stats.takeSentSinceReport()).toBe(true);
    expect(stats.takeSentSinceReport()).toBe(false);
    expect(stats.snapshot()).toEqual({ packetsSent: 2, payloadOctetsSent: 320, lastSentMs: 20 });
  });

  it('wraps the extrapolated timestamp at 2^32', () => {
    const stats = new RtpSendStatistics(8000);
    stats.onPacketSent(0xffff_ff00, 160, 0);
    expect(stats.senderInfo(100, 0).rtpTimestamp).toBe((0xffff_ff00 + 800) % 2 ** 32);
  });
});
