import { describe, expect, it } from 'vitest';
import {
  compactNtp,
  compactNtpFromUnixMs,
  durationMsToCompactNtp,
  ntpFromUnixMs,
  unixMsFromNtp,
} from '../../../src/media/rtcp/ntp-timestamp.js';
import { roundTripTimeMs } from '../../../src/media/rtcp/round-trip-time.js';
import {
  type RtcpPacket,
  parseRtcpCompound,
  serializeRtcpCompound,
} from '../../../src/media/rtcp/rtcp-compound.js';
import { RtpReceptionStatistics } from '../../../src/media/rtp/rtp-reception-statistics.js';
import { RtpSendStatistics } from '../../../src/media/rtp/rtp-send-statistics.js';

function packetsOf(data: Buffer): readonly RtcpPacket[] {
  const result = parseRtcpCompound(data);
  if (!result.ok) throw new Error(result.reason);
  return result.packets;
}

describe('NTP timestamps', () => {
  it.each([
    [0, 2_208_988_800, 0],
    [1500, 2_208_988_801, 0x8000_0000],
    [Date.UTC(2026, 0, 1), 3_976_214_400, 0],
  ])('Unix %d ms is NTP %d.%d', (ms, seconds, fraction) => {
    expect(ntpFromUnixMs(ms)).toEqual({ seconds, fraction });
    expect(unixMsFromNtp({ seconds, fraction })).toBe(ms);
  });

  it('takes the middle 32 bits for LSR', () => {
    expect(compactNtp({ seconds: 0xe5a1_b2c3, fraction: 0x8000_1234 })).toBe(0xb2c3_8000);
    expect(durationMsToCompactNtp(1000)).toBe(65536);
    expect(durationMsToCompactNtp(-5)).toBe(0);
  });
});

describe('round-trip time from LSR and DLSR (RFC 3550 §6.4.1)', () => {
  it('is arrival − LSR − DLSR', () => {
    const sent = Date.UTC(2026, 0, 1, 12);
    const rtt = roundTripTimeMs(
      compactNtpFromUnixMs(sent + 400),
      compactNtpFromUnixMs(sent),
      durationMsToCompactNtp(250),
    );
    expect(rtt).toBeCloseTo(150, 0);
  });

  it('has no value without an SR (LSR 0) or when the result would be negative', () => {
    expect(roundTripTimeMs(1000, 0, 0)).toBeUndefined();
    expect(roundTripTimeMs(1000, 900, 200)).toBeUndefined();
  });

  it('comes out of a crafted SR → RR exchange through the wire format', () => {
    const epoch = Date.UTC(2026, 0, 1, 12);
    // Alice sends audio, then an SR at t = 1000 ms.
    const aliceSent = new RtpSendStatistics(8000);
    for (let i = 0; i < 50; i++) aliceSent.onPacketSent(i * 160, 160, i * 20);
    const sr: RtcpPacket = {
      kind: 'sender-report',
      ssrc: 0xa,
      sender: aliceSent.senderInfo(1000, epoch + 1000),
      reportBlocks: [],
    };
    expect(sr.sender.rtpTimestamp).toBe(49 * 160 + 20 * 8);
    expect([sr.sender.packetCount, sr.sender.octetCount]).toEqual([50, 8000]);

    // The SR reaches Bob 60 ms later (Bob's monotonic clock reads 5060); Bob reports 250 ms after that.
    const [srAtBob] = packetsOf(serializeRtcpCompound([sr]));
    const bobReceived = new RtpReceptionStatistics(0xa, { clockRateHz: 8000, minSequential: 1 });
    bobReceived.onPacket(1, 160, 5000, 160);
    if (srAtBob?.kind !== 'sender-report') throw new Error('not an SR');
    bobReceived.onSenderReport(
      { seconds: srAtBob.sender.ntpSeconds, fraction: srAtBob.sender.ntpFraction },
      5060,
    );
    const rr: RtcpPacket = {
      kind: 'receiver-report',
      ssrc: 0xb,
      reportBlocks: [bobReceived.makeReportBlock(5310)!],
    };

    // The RR reaches Alice 70 ms later: t = 1000 + 60 + 250 + 70. RTT = 60 + 70 = 130 ms.
    const [rrAtAlice] = packetsOf(serializeRtcpCompound([rr]));
    if (rrAtAlice?.kind !== 'receiver-report') throw new Error('not an RR');
    const block = rrAtAlice.reportBlocks[0];
    const rtt = roundTripTimeMs(
      compactNtpFromUnixMs(epoch + 1380),
      block.lastSenderReport,
      block.delaySinceLastSenderReport,
    );
    expect(rtt).toBeCloseTo(130, 0);
  });
});
