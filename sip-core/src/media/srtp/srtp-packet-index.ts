// SRTP's implicit packet index (RFC 3711 §3.3.1): i = 2^16 · ROC + SEQ, where the rollover counter ROC counts how
// often the 16-bit sequence number wrapped. The receiver never sees ROC; it guesses it from the highest sequence
// number s_l it has authenticated (Appendix A): a SEQ far below s_l is taken as after a wrap (ROC + 1), a SEQ far
// above s_l as before the last wrap (ROC − 1).

const SEQ_MOD = 0x1_0000;
const HALF_SEQ = 0x8000;

/** Appendix A: the ROC guessed for `seq`, given the current ROC and s_l. May be −1 at the very start (too old). */
export function estimateRolloverCounter(roc: number, highestSeq: number, seq: number): number {
  if (highestSeq < HALF_SEQ) {
    return seq - highestSeq > HALF_SEQ ? roc - 1 : roc;
  }
  return highestSeq - HALF_SEQ > seq ? roc + 1 : roc;
}

export function packetIndex(roc: number, seq: number): number {
  return roc * SEQ_MOD + seq;
}
