import { describe, expect, it } from 'vitest';
import { RtpReceptionStatistics } from '../../../src/media/rtp/rtp-reception-statistics.js';

// RFC 3550 Appendix A against hand-computed series.

function feed(stats: RtpReceptionStatistics, sequence: number[], startMs = 0): boolean[] {
  return sequence.map((seq, i) => stats.onPacket(seq, seq * 160, startMs + i * 20, 160));
}

describe('sequence tracking and loss (A.1, A.3)', () => {
  it('counts loss across the 65535 → 0 wrap', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    // 65530 … 9 is 16 packets; 65533, 2 and 3 are missing.
    feed(stats, [65530, 65531, 65532, 65534, 65535, 0, 1, 4, 5, 6, 7, 8, 9]);
    const snapshot = stats.snapshot();
    expect(snapshot).toMatchObject({
      expected: 16,
      lost: 3,
      extendedHighestSequence: 65536 + 9,
      packetsReceived: 13,
    });
    const block = stats.makeReportBlock(1000)!;
    expect(block).toMatchObject({ ssrc: 7, cumulativeLost: 3, extendedHighestSequence: 65545 });
    // 3 of 16 lost: 3 · 256 / 16 = 48.
    expect(block.fractionLost).toBe(48);
    // The next interval loses nothing: the fraction is 0, the cumulative count stays.
    feed(stats, [10, 11, 12, 13]);
    expect(stats.makeReportBlock(2000)).toMatchObject({
      fractionLost: 0,
      cumulativeLost: 3,
      extendedHighestSequence: 65549,
    });
  });

  it('keeps a new source on probation until two packets are in sequence (MIN_SEQUENTIAL = 2)', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000 });
    expect(stats.makeReportBlock(0)).toBeUndefined();
    expect(feed(stats, [100, 101, 102])).toEqual([false, true, true]);
    expect(stats.snapshot()).toMatchObject({ valid: true, expected: 2, lost: 0, packetsReceived: 3 });
  });

  it('restarts probation when the first packets are not in sequence', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000 });
    expect(feed(stats, [100, 500, 501])).toEqual([false, false, true]);
    expect(stats.snapshot().extendedHighestSequence).toBe(501);
  });

  it('counts duplicates as received, so the loss may go negative (RFC 3550 §6.4.1)', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    feed(stats, [1, 2, 2, 3, 3]);
    expect(stats.snapshot()).toMatchObject({ expected: 3, lost: -2, lateOrDuplicate: 2 });
    expect(stats.makeReportBlock(0)).toMatchObject({ cumulativeLost: -2, fractionLost: 0 });
  });

  it('takes a late packet as late, not as a wrap', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    feed(stats, [10, 11, 13, 14, 12]);
    expect(stats.snapshot()).toMatchObject({
      expected: 5,
      lost: 0,
      lateOrDuplicate: 1,
      extendedHighestSequence: 14,
    });
  });

  it('believes a huge jump only when the next packet follows it (a restarted sender)', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    expect(feed(stats, [100, 101, 20000, 20001, 20002])).toEqual([true, true, false, true, true]);
    expect(stats.snapshot()).toMatchObject({ expected: 2, lost: 0, extendedHighestSequence: 20002 });
  });

  it('clamps the cumulative loss to 24 bits', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    // A jump below MAX_DROPOUT, 2999 times over, loses about 9 million packets: more than 2^23 − 1.
    let seq = 0;
    for (let i = 0; i < 3000; i++) {
      stats.onPacket(seq, 0, i, 0);
      seq = (seq + 2999) & 0xffff;
    }
    expect(stats.makeReportBlock(0)?.cumulativeLost).toBe(0x7f_ffff);
  });
});

describe('interarrival jitter (A.8)', () => {
  it('follows J += (|D| − J) / 16 on a synthetic arrival series', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    // Sent every 20 ms (160 units); arrivals at 0, 20, 45, 60, 80 ms → D = 0, 40, 40, 0 units.
    const arrivals = [0, 20, 45, 60, 80];
    arrivals.forEach((ms, i) => stats.onPacket(i, i * 160, ms, 160));
    // 0 → 0; 40/16 = 2.5; 2.5 + (40 − 2.5)/16 = 4.84375; 4.84375 − 4.84375/16 = 4.541015625.
    expect(stats.snapshot().jitter).toBeCloseTo(4.541015625, 12);
    expect(stats.snapshot().jitterMs).toBeCloseTo(4.541015625 / 8, 12);
    expect(stats.makeReportBlock(100)?.jitter).toBe(4);
  });

  it('sees no jitter across an RTP timestamp wrap when packets arrive on time', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    for (let i = 0; i < 10; i++) stats.onPacket(i, (0xffff_ff00 + i * 160) >>> 0, 1000 + i * 20, 160);
    expect(stats.snapshot().jitter).toBe(0);
  });

  it('leaves packets out of the jitter when told (telephone-event)', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    stats.onPacket(0, 0, 0, 160);
    // Four event packets that all carry the event's start timestamp.
    for (let i = 1; i <= 4; i++) stats.onPacket(i, 160, i * 20, 4, false);
    stats.onPacket(5, 800, 100, 160);
    expect(stats.snapshot().jitter).toBe(0);
  });
});

describe('LSR and DLSR', () => {
  it('reports the middle 32 bits of the last SR and the delay since, in 1/65536 s', () => {
    const stats = new RtpReceptionStatistics(7, { clockRateHz: 8000, minSequential: 1 });
    stats.onPacket(1, 0, 0, 160);
    expect(stats.makeReportBlock(0)).toMatchObject({ lastSenderReport: 0, delaySinceLastSenderReport: 0 });
    stats.onSenderReport({ seconds: 0xe5a1_b2c3, fraction: 0x8000_0000 }, 1000);
    expect(stats.makeReportBlock(1500)).toMatchObject({
      lastSenderReport: 0xb2c3_8000,
      delaySinceLastSenderReport: 32768,
    });
  });
});
