import { describe, expect, it } from 'vitest';
import { type LatchMode, SymmetricRtpLatch } from '../../../src/media/rtp/symmetric-rtp-latch.js';

const SDP = { address: '192.0.2.9', port: 4000 };
const A = { address: '198.51.100.3', port: 61000 };
const B = { address: '198.51.100.4', port: 62000 };

describe('SymmetricRtpLatch', () => {
  // [mode, sources observed in order, remote after each packet]
  const table: Array<[LatchMode, (typeof A)[], (typeof A)[]]> = [
    ['off', [A, A, B], [SDP, SDP, SDP]],
    ['once', [A, B, B, B, B], [A, A, A, A, A]],
    ['once', [SDP, A], [SDP, SDP]],
    ['follow', [A, B, B, B, B], [A, A, A, B, B]],
    ['follow', [A, B, B, A, B, B, B], [A, A, A, A, A, A, B]],
  ];
  it.each(table)('%s: %j', (mode, sources, remotes) => {
    const latch = new SymmetricRtpLatch(SDP, { mode });
    const seen = sources.map((source) => {
      latch.observe(source);
      return latch.remote;
    });
    expect(seen).toEqual(remotes);
  });

  it('says when the remote changed', () => {
    const latch = new SymmetricRtpLatch(SDP, { mode: 'follow', confirmPackets: 2 });
    expect([latch.observe(SDP), latch.observe(A), latch.observe(A), latch.observe(A)]).toEqual([
      false,
      false,
      true,
      false,
    ]);
    expect(latch.latched).toBe(true);
  });

  it('starts over from a new signalled address (re-INVITE)', () => {
    const latch = new SymmetricRtpLatch(SDP, { mode: 'once' });
    latch.observe(A);
    latch.resetSignalled(B);
    expect([latch.remote, latch.latched]).toEqual([B, false]);
    expect(latch.observe(A)).toBe(true);
  });

  it('works without a signalled address', () => {
    const latch = new SymmetricRtpLatch(undefined, { mode: 'once' });
    expect(latch.remote).toBeUndefined();
    expect(latch.observe(A)).toBe(true);
  });
});
