import { compactNtp, durationMsToCompactNtp, type NtpTimestamp } from '../rtcp/ntp-timestamp.js';
import { CUMULATIVE_LOST_MAX, CUMULATIVE_LOST_MIN, type RtcpReportBlock } from '../rtcp/rtcp-report-block.js';

// What a receiver knows about one source (one SSRC): RFC 3550 Appendix A.1 (sequence numbers, with wraparound,
// cycles and probation), A.3 (expected and lost packets, fraction lost per report interval) and A.8 (interarrival
// jitter), plus the last sender report heard from the source for LSR/DLSR. Time is an input (`arrivalMs` on the
// monotonic clock), so the whole class runs without timers and tests feed it hand-computed series.

/** A.1: a jump of up to this many sequence numbers forward is taken as loss, not as a restart. */
export const MAX_DROPOUT = 3000;
/** A.1: a packet up to this many numbers behind the highest is taken as late or duplicated. */
export const MAX_MISORDER = 100;
/** A.1: sequential packets needed before a new source is valid. */
export const MIN_SEQUENTIAL = 2;
const RTP_SEQ_MOD = 0x1_0000;
/** A.8: the jitter estimate moves 1/16 of the way towards each new sample. */
const JITTER_GAIN = 1 / 16;

export interface RtpReceptionSnapshot {
  readonly ssrc: number;
  /** Every packet handed to the statistics, probation and duplicates included. */
  readonly packetsReceived: number;
  readonly payloadOctetsReceived: number;
  /** False while the source is still on probation (A.1). */
  readonly valid: boolean;
  /** A.3 expected packets, from the first valid one to the highest sequence number seen. */
  readonly expected: number;
  /** A.3 cumulative loss (negative when duplicates outnumber losses). */
  readonly lost: number;
  readonly extendedHighestSequence: number;
  /** Packets that arrived late (behind the highest) or twice. */
  readonly lateOrDuplicate: number;
  /** A.8 interarrival jitter in RTP timestamp units, and in milliseconds. */
  readonly jitter: number;
  readonly jitterMs: number;
  readonly lastArrivalMs: number | undefined;
}

export interface RtpReceptionStatisticsOptions {
  readonly clockRateHz: number;
  /** A.1 probation; 1 makes the first packet valid (an SRTP-authenticated source needs no probation). */
  readonly minSequential?: number;
}

export class RtpReceptionStatistics {
  readonly ssrc: number;
  readonly #clockRateHz: number;
  readonly #minSequential: number;

  // A.1 state, named as in the RFC.
  #maxSeq = 0;
  #cycles = 0;
  #baseSeq = 0;
  #badSeq = RTP_SEQ_MOD + 1;
  #probation: number;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #started = false;

  #packetsReceived = 0;
  #payloadOctets = 0;
  #lateOrDuplicate = 0;

  // A.8 state: the previous packet's arrival (in timestamp units) and RTP timestamp.
  #jitter = 0;
  #lastArrivalUnits: number | undefined;
  #lastTimestamp = 0;
  #lastArrivalMs: number | undefined;

  #lastSenderReport = 0;
  #lastSenderReportArrivalMs: number | undefined;

  constructor(ssrc: number, options: RtpReceptionStatisticsOptions) {
    this.ssrc = ssrc;
    this.#clockRateHz = options.clockRateHz;
    this.#minSequential = Math.max(1, options.minSequential ?? MIN_SEQUENTIAL);
    this.#probation = this.#minSequential;
  }

  /**
   * Accounts one received packet. Returns whether A.1 considers it valid: false while the source is on probation and
   * for a packet that jumps so far that it may belong to a restarted sender (it becomes valid if the next packet
   * follows it). `updateJitter` is false for packets whose timestamps do not advance with their sending time
   * (RFC 4733 events repeat one timestamp for a whole digit).
   */
  onPacket(
    sequenceNumber: number,
    timestamp: number,
    arrivalMs: number,
    payloadBytes: number,
    updateJitter = true,
  ): boolean {
    this.#packetsReceived++;
    this.#payloadOctets += payloadBytes;
    this.#lastArrivalMs = arrivalMs;
    if (updateJitter) this.#updateJitter(timestamp, arrivalMs);
    return this.#updateSequence(sequenceNumber);
  }

  #initSequence(seq: number): void {
    this.#baseSeq = seq;
    this.#maxSeq = seq;
    this.#badSeq = RTP_SEQ_MOD + 1;
    this.#cycles = 0;
    this.#received = 0;
    this.#receivedPrior = 0;
    this.#expectedPrior = 0;
  }

  #updateSequence(seq: number): boolean {
    if (!this.#started) {
      // A.1: a new source starts on probation, as if the previous packet had been seq − 1.
      this.#started = true;
      this.#initSequence(seq);
      this.#maxSeq = (seq - 1) & 0xffff;
      this.#probation = this.#minSequential;
    }
    const udelta = (seq - this.#maxSeq) & 0xffff;
    if (this.#probation > 0) {
      if (seq === ((this.#maxSeq + 1) & 0xffff)) {
        this.#probation--;
        this.#maxSeq = seq;
        if (this.#probation === 0) {
          this.#initSequence(seq);
          this.#received++;
          return true;
        }
      } else {
        this.#probation = this.#minSequential - 1;
        this.#maxSeq = seq;
      }
      return false;
    }
    if (udelta === 0) {
      // A.1 lets a repeat of the highest number through as in order; it is a duplicate all the same.
      this.#lateOrDuplicate++;
    } else if (udelta < MAX_DROPOUT) {
      // In order, possibly with a gap: a smaller number means the 16-bit counter wrapped.
      if (seq < this.#maxSeq) this.#cycles += RTP_SEQ_MOD;
      this.#maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: believe it only if the next packet continues from it (the sender restarted).
      if (seq === this.#badSeq) {
        this.#initSequence(seq);
      } else {
        this.#badSeq = (seq + 1) & 0xffff;
        return false;
      }
    } else {
      this.#lateOrDuplicate++;
    }
    this.#received++;
    return true;
  }

  #updateJitter(timestamp: number, arrivalMs: number): void {
    const arrivalUnits = (arrivalMs * this.#clockRateHz) / 1000;
    if (this.#lastArrivalUnits !== undefined) {
      // D(i-1, i) = (R_i − R_{i−1}) − (S_i − S_{i−1}); the timestamp difference is taken modulo 2^32 as a signed
      // number so that a timestamp wrap is a small step, not a jump of four billion.
      const timestampDelta = (timestamp - this.#lastTimestamp) | 0;
      const transitDelta = Math.abs(arrivalUnits - this.#lastArrivalUnits - timestampDelta);
      this.#jitter += JITTER_GAIN * (transitDelta - this.#jitter);
    }
    this.#lastArrivalUnits = arrivalUnits;
    this.#lastTimestamp = timestamp;
  }

  /** Records a sender report from this source, for the LSR and DLSR of our next report block. */
  onSenderReport(ntp: NtpTimestamp, arrivalMs: number): void {
    this.#lastSenderReport = compactNtp(ntp);
    this.#lastSenderReportArrivalMs = arrivalMs;
  }

  get #extendedMax(): number {
    return this.#cycles + this.#maxSeq;
  }

  get #expected(): number {
    return this.#extendedMax - this.#baseSeq + 1;
  }

  get #valid(): boolean {
    return this.#started && this.#probation === 0;
  }

  /**
   * The report block for this source (A.3), or undefined while the source has no valid packet yet. Each call closes
   * a report interval: the fraction lost counts the packets lost since the previous call.
   */
  makeReportBlock(nowMs: number): RtcpReportBlock | undefined {
    if (!this.#valid) return undefined;
    const expected = this.#expected;
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(fractionLost, 255),
      cumulativeLost: Math.max(CUMULATIVE_LOST_MIN, Math.min(CUMULATIVE_LOST_MAX, expected - this.#received)),
      extendedHighestSequence: this.#extendedMax >>> 0,
      jitter: Math.floor(this.#jitter) >>> 0,
      lastSenderReport: this.#lastSenderReport,
      delaySinceLastSenderReport:
        this.#lastSenderReportArrivalMs === undefined
          ? 0
          : durationMsToCompactNtp(nowMs - this.#lastSenderReportArrivalMs),
    };
  }

  snapshot(): RtpReceptionSnapshot {
    const valid = this.#valid;
    return {
      ssrc: this.ssrc,
      packetsReceived: this.#packetsReceived,
      payloadOctetsReceived: this.#payloadOctets,
      valid,
      expected: valid ? this.#expected : 0,
      lost: valid ? this.#expected - this.#received : 0,
      extendedHighestSequence: valid ? this.#extendedMax : 0,
      lateOrDuplicate: this.#lateOrDuplicate,
      jitter: this.#jitter,
      jitterMs: (this.#jitter * 1000) / this.#clockRateHz,
      lastArrivalMs: this.#lastArrivalMs,
    };
  }
}
