import { describe, expect, it } from 'vitest';
import { estimateRolloverCounter, packetIndex } from '../../../src/media/srtp/srtp-packet-index.js';

describe('ROC estimation (RFC 3711 Appendix A)', () => {
  // [ROC, s_l, SEQ, guessed ROC]
  const table: Array<[number, number, number, number]> = [
    [0, 100, 101, 0],
    [0, 100, 50, 0],
    [0, 100, 32868, 0],
    [0, 100, 32869, -1],
    [5, 100, 65000, 4],
    [0, 65535, 0, 1],
    [0, 65000, 100, 1],
    // s_l − 2^15 = 7232: a SEQ below it is after the next wrap.
    [0, 40000, 7231, 1],
    [0, 40000, 7232, 0],
    [0, 40000, 7233, 0],
    [3, 40000, 60000, 3],
  ];
  it.each(table)('ROC %i, s_l %i, SEQ %i → %i', (roc, highest, seq, expected) => {
    expect(estimateRolloverCounter(roc, highest, seq)).toBe(expected);
  });

  it('indexes packets as 2^16 · ROC + SEQ', () => {
    expect(packetIndex(0, 5)).toBe(5);
    expect(packetIndex(1, 0)).toBe(65536);
    expect(packetIndex(0xffff_ffff, 0xffff)).toBe(2 ** 48 - 1);
  });
});
