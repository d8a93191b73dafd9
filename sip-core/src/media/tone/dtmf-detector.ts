// In-band DTMF detection with the Goertzel algorithm, as a streaming pure processor: PCM in, digit start
// and end reports out (with sample positions, so tests and checks can reason about timing without clocks).
//
// The signal is cut into blocks of 102 samples (12.75 ms at 8 kHz; bins 78 Hz wide, narrower than the
// 73 Hz … 89 Hz spacing between DTMF rows after the exact-frequency Goertzel). A block holds a key when:
//
//   1. level       both the strongest row and the strongest column tone are at least `minLevelDbm0`;
//   2. twist       the column tone is at most `maxHighOverLowDb` above and `maxLowOverHighDb` below the row
//                  tone. ITU-T Q.24 leaves the limits to administrations; +4/-8 dB is the common choice, and
//                  the defaults add 2 dB: in a 102-sample block the strong tone's sidelobes move the weak
//                  one's measured level by up to about ±1.1 dB at -8 dB twist;
//   3. peaks       every other row (column) is at least `relativePeakDb` below the strongest row (column),
//                  so chords and broadband sounds with energy on several DTMF frequencies are refused. 6 dB,
//                  because at -8 dB twist the strong row tone's sidelobes and the column tone's own leakage
//                  lift a neighbouring column to about 9 dB below the true one;
//   4. purity      the two tones carry at least `minToneEnergyRatio` of the block's energy: speech and music
//                  spread their energy over many harmonics and fail here, tone plus moderate noise passes;
//   5. harmonic    the second harmonic of the column tone is `secondHarmonicDb` below it: a voiced sound whose
//                  harmonics happen to fall on a row and a column has its next harmonics too. The rows' second
//                  harmonics (1394 … 1882 Hz) sit within 60 Hz of column frequencies and cannot be measured
//                  apart in a 102-sample block, so the purity check (4) covers the rows instead.
//
// A key is reported after `minOnBlocks` consecutive blocks agree (2 blocks: 25.5 ms, so every tone of 40 ms
// or more is caught whatever its alignment and a 20 ms blip is not) and ends after `minOffBlocks` blocks
// without it (the minimum gap: the same key twice with a shorter pause reads as one key).
//
// Detector state:
//
//                 key seen in a block                    minOnBlocks in a row
//   idle ───────────────────────────────► candidate ─────────────────────────► on (digit-start)
//     ▲  ◄────── other key / no key ─────────┘                                  │
//     └──────────────────────── minOffBlocks without the key (digit-end) ────────┘

import { NARROWBAND_SAMPLE_RATE_HZ } from '../codec/pcm-frame.js';
import { DTMF_HIGH_GROUP_HZ, DTMF_LOW_GROUP_HZ, dtmfSymbolAt } from './dtmf-frequencies.js';
import { goertzelMeanSquare } from './goertzel.js';
import { meanSquare } from './level-meter.js';
import { dbfsToMeanSquare, dbm0ToDbfs } from './levels.js';
import { ToneError } from './tone-error.js';

export interface DtmfDetectorOptions {
  sampleRateHz?: number;
  /** Samples per analysis block. Default 102 (12.75 ms at 8 kHz). */
  blockSamples?: number;
  /** The weakest tone accepted, per frequency. Default -30 dBm0. */
  minLevelDbm0?: number;
  /** How much stronger the high-group tone may be than the low-group one. Default 6 dB (4 dB + margin). */
  maxHighOverLowDb?: number;
  /** How much weaker the high-group tone may be than the low-group one. Default 10 dB (8 dB + margin). */
  maxLowOverHighDb?: number;
  /** How far the other frequencies of a group must stay below its strongest. Default 6 dB. */
  relativePeakDb?: number;
  /** The share of the block's energy the two tones must carry. Default 0.85. */
  minToneEnergyRatio?: number;
  /** How far the column tone's second harmonic must stay below it. Default 15 dB. */
  secondHarmonicDb?: number;
  /** Consecutive blocks before a key is reported. Default 2. */
  minOnBlocks?: number;
  /** Consecutive blocks without the key before it ends. Default 2. */
  minOffBlocks?: number;
}

export interface InBandDigitStart {
  readonly type: 'digit-start';
  readonly symbol: string;
  /** Position of the first sample of the first block holding the key, from the start of the stream. */
  readonly startSample: number;
}

export interface InBandDigitEnd {
  readonly type: 'digit-end';
  readonly symbol: string;
  readonly startSample: number;
  /** From the start of the first to the end of the last block holding the key. */
  readonly durationSamples: number;
  readonly durationMs: number;
}

export type InBandDtmfEvent = InBandDigitStart | InBandDigitEnd;

const DEFAULTS = {
  sampleRateHz: NARROWBAND_SAMPLE_RATE_HZ,
  blockSamples: 102,
  minLevelDbm0: -30,
  maxHighOverLowDb: 6,
  maxLowOverHighDb: 10,
  relativePeakDb: 6,
  minToneEnergyRatio: 0.85,
  secondHarmonicDb: 15,
  minOnBlocks: 2,
  minOffBlocks: 2,
} satisfies Required<DtmfDetectorOptions>;

function dbRatio(db: number): number {
  return 10 ** (db / 10);
}

/** Detects DTMF keys in a PCM stream pushed frame by frame. */
export class DtmfDetector {
  readonly #o: Required<DtmfDetectorOptions>;
  readonly #block: Float64Array;
  #fill = 0;
  #blockStart = 0;
  readonly #minLevelMeanSquare: number;
  readonly #rows = new Float64Array(4);
  readonly #columns = new Float64Array(4);

  #candidate: string | undefined;
  #candidateBlocks = 0;
  #candidateStart = 0;
  #on: { symbol: string; startSample: number; lastEnd: number; offBlocks: number } | undefined;

  constructor(options: DtmfDetectorOptions = {}) {
    this.#o = { ...DEFAULTS, ...options };
    const { blockSamples, sampleRateHz, minOnBlocks, minOffBlocks } = this.#o;
    if (!(blockSamples >= 32 && sampleRateHz >= 4000 && minOnBlocks >= 1 && minOffBlocks >= 1)) {
      throw new ToneError(
        'TONE_INVALID_OPTION',
        'The DTMF detector needs ≥ 32-sample blocks, ≥ 4 kHz and ≥ 1 block.',
      );
    }
    this.#block = new Float64Array(blockSamples);
    this.#minLevelMeanSquare = dbfsToMeanSquare(dbm0ToDbfs(this.#o.minLevelDbm0));
  }

  /** Analyses `samples` (any length) and returns the reports completed by them. */
  push(samples: ArrayLike<number>): InBandDtmfEvent[] {
    const events: InBandDtmfEvent[] = [];
    for (let i = 0; i < samples.length; i++) {
      this.#block[this.#fill++] = samples[i] ?? 0;
      if (this.#fill === this.#block.length) {
        this.#step(this.#classify(), events);
        this.#blockStart += this.#block.length;
        this.#fill = 0;
      }
    }
    return events;
  }

  /** Ends a key still on at the end of the stream (the incomplete last block is not analysed). */
  flush(): InBandDtmfEvent[] {
    const on = this.#on;
    this.#on = undefined;
    this.#candidate = undefined;
    return on ? [this.#endOf(on)] : [];
  }

  /** The key held by the current block, if it passes every check. */
  #classify(): string | undefined {
    const o = this.#o;
    const block = this.#block;
    const n = block.length;
    for (let i = 0; i < 4; i++) {
      this.#rows[i] = goertzelMeanSquare(block, 0, n, DTMF_LOW_GROUP_HZ[i] ?? 0, o.sampleRateHz);
      this.#columns[i] = goertzelMeanSquare(block, 0, n, DTMF_HIGH_GROUP_HZ[i] ?? 0, o.sampleRateHz);
    }
    const row = strongest(this.#rows);
    const column = strongest(this.#columns);
    const rowPower = this.#rows[row] ?? 0;
    const columnPower = this.#columns[column] ?? 0;
    if (rowPower < this.#minLevelMeanSquare || columnPower < this.#minLevelMeanSquare) return undefined;
    if (columnPower > rowPower * dbRatio(o.maxHighOverLowDb)) return undefined;
    if (columnPower * dbRatio(o.maxLowOverHighDb) < rowPower) return undefined;
    const peak = dbRatio(o.relativePeakDb);
    for (let i = 0; i < 4; i++) {
      if (i !== row && (this.#rows[i] ?? 0) * peak > rowPower) return undefined;
      if (i !== column && (this.#columns[i] ?? 0) * peak > columnPower) return undefined;
    }
    if (rowPower + columnPower < o.minToneEnergyRatio * meanSquare(block)) return undefined;
    const harmonicHz = 2 * (DTMF_HIGH_GROUP_HZ[column] ?? 0);
    if (harmonicHz < o.sampleRateHz / 2) {
      const harmonic = goertzelMeanSquare(block, 0, n, harmonicHz, o.sampleRateHz);
      if (harmonic * dbRatio(o.secondHarmonicDb) > columnPower) return undefined;
    }
    return dtmfSymbolAt(row, column);
  }

  #step(key: string | undefined, events: InBandDtmfEvent[]): void {
    const blockEnd = this.#blockStart + this.#block.length;
    const on = this.#on;
    if (on !== undefined) {
      if (key === on.symbol) {
        on.offBlocks = 0;
        on.lastEnd = blockEnd;
      } else if (++on.offBlocks >= this.#o.minOffBlocks) {
        events.push(this.#endOf(on));
        this.#on = undefined;
      }
    }
    if (key === undefined || key === this.#on?.symbol) {
      this.#candidate = undefined;
      return;
    }
    if (key === this.#candidate) {
      this.#candidateBlocks++;
    } else {
      this.#candidate = key;
      this.#candidateBlocks = 1;
      this.#candidateStart = this.#blockStart;
    }
    if (this.#on === undefined && this.#candidateBlocks >= this.#o.minOnBlocks) {
      this.#on = { symbol: key, startSample: this.#candidateStart, lastEnd: blockEnd, offBlocks: 0 };
      this.#candidate = undefined;
      events.push({ type: 'digit-start', symbol: key, startSample: this.#on.startSample });
    }
  }

  #endOf(on: { symbol: string; startSample: number; lastEnd: number }): InBandDigitEnd {
    const durationSamples = on.lastEnd - on.startSample;
    return {
      type: 'digit-end',
      symbol: on.symbol,
      startSample: on.startSample,
      durationSamples,
      durationMs: (durationSamples * 1000) / this.#o.sampleRateHz,
    };
  }
}

function strongest(powers: Float64Array): number {
  let best = 0;
  for (let i = 1; i < powers.length; i++) if ((powers[i] ?? 0) > (powers[best] ?? 0)) best = i;
  return best;
}
