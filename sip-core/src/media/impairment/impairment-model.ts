import { ImpairmentError } from './impairment-error.js';
import { SeededRandom } from './seeded-random.js';

// What a network would do to each packet, decided by a seeded PRNG and nothing else: a pure processor (no clock, no
// timers, no sockets), so a unit test can replay a decision sequence exactly. The stage that applies the decisions
// in time is `ImpairmentStage`.
//
// The faults, in the order they are decided for one packet:
//
//   drop-all ──► burst loss (Gilbert-Elliott) ──► random loss ──► delay + jitter ──► reorder ──► duplicate
//   (one-way     (state moves once per packet)    (Bernoulli)     (fixed + uniform   (held back   (a second copy,
//    audio)                                                        [0, jitter])       extra ms)    own jitter)
//
// Gilbert-Elliott (two-state Markov chain, the classic bursty-loss model, as in netem's "loss gemodel"):
//
//            goodToBad                    Good: packets lost with lossInGood (default 0)
//   Good ───────────────► Bad             Bad:  packets lost with lossInBad  (default 1)
//        ◄───────────────                 mean burst length 1 / badToGood packets
//            badToGood
//
// Every decision draws the same number of random values whatever the profile's other settings, so changing the
// jitter does not change which packets are lost (a test can vary one fault at a time).

/** The two-state bursty loss model. */
export interface GilbertElliottLoss {
  /** Per packet, the chance of moving from the good to the bad state. */
  readonly goodToBad: number;
  /** Per packet, the chance of moving from the bad back to the good state. */
  readonly badToGood: number;
  /** Loss probability in the bad state. Default 1. */
  readonly lossInBad?: number;
  /** Loss probability in the good state. Default 0. */
  readonly lossInGood?: number;
}

/** What to do to a stream of packets; every field is optional and off by default. */
export interface ImpairmentProfile {
  /** Independent random loss, 0…1 (0.05 = 5 %). */
  readonly lossRate?: number;
  /** Bursty loss on top of `lossRate`. */
  readonly burstLoss?: GilbertElliottLoss;
  /** Fixed one-way delay added to every packet. */
  readonly delayMs?: number;
  /** Random extra delay, uniform in [0, jitterMs]; packets overtake each other when it exceeds their spacing. */
  readonly jitterMs?: number;
  /** The chance that a packet is held back by `reorderDelayMs` more, so that later packets overtake it. */
  readonly reorderRate?: number;
  /** Extra delay of a reordered packet. Default 50 ms (more than two 20 ms packets). */
  readonly reorderDelayMs?: number;
  /** The chance that a packet is delivered twice. */
  readonly duplicateRate?: number;
  /** Drops everything: a one-way-audio fault. */
  readonly dropAll?: boolean;
}

export type ImpairmentDropReason = 'drop-all' | 'burst-loss' | 'random-loss';

export type ImpairmentDecision =
  | { readonly deliver: false; readonly reason: ImpairmentDropReason }
  | {
      readonly deliver: true;
      /** Delays of the copies to deliver (one, or two when duplicated), in ms from now. */
      readonly delaysMs: readonly number[];
      readonly reordered: boolean;
    };

const DEFAULT_REORDER_DELAY_MS = 50;

function checkProbability(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) {
    throw new ImpairmentError(
      'IMPAIRMENT_INVALID_OPTION',
      `The impairment ${name} must be a probability from 0 to 1, not ${value}.`,
    );
  }
}

function checkDelay(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && Number.isFinite(value))) {
    throw new ImpairmentError(
      'IMPAIRMENT_INVALID_OPTION',
      `The impairment ${name} must be a finite number of milliseconds ≥ 0, not ${value}.`,
    );
  }
}

/** Checks a profile; throws an ImpairmentError naming the first bad field. */
export function validateImpairmentProfile(profile: ImpairmentProfile): void {
  checkProbability('lossRate', profile.lossRate);
  checkProbability('reorderRate', profile.reorderRate);
  checkProbability('duplicateRate', profile.duplicateRate);
  checkProbability('burstLoss.goodToBad', profile.burstLoss?.goodToBad);
  checkProbability('burstLoss.badToGood', profile.burstLoss?.badToGood);
  checkProbability('burstLoss.lossInBad', profile.burstLoss?.lossInBad);
  checkProbability('burstLoss.lossInGood', profile.burstLoss?.lossInGood);
  checkDelay('delayMs', profile.delayMs);
  checkDelay('jitterMs', profile.jitterMs);
  checkDelay('reorderDelayMs', profile.reorderDelayMs);
}

/** Decides the fate of each packet from a seeded PRNG. */
export class ImpairmentModel {
  readonly #random: SeededRandom;
  #profile: ImpairmentProfile;
  #bad = false;

  constructor(profile: ImpairmentProfile, seed: number) {
    validateImpairmentProfile(profile);
    this.#profile = profile;
    this.#random = new SeededRandom(seed);
  }

  get profile(): ImpairmentProfile {
    return this.#profile;
  }

  /** Replaces the profile from the next packet on (the PRNG and the burst state carry on). */
  setProfile(profile: ImpairmentProfile): void {
    validateImpairmentProfile(profile);
    this.#profile = profile;
  }

  /** Whether the burst model is in its bad state (for tests and diagnostics). */
  get inBurst(): boolean {
    return this.#bad;
  }

  decide(): ImpairmentDecision {
    const p = this.#profile;
    // A fixed number of draws per packet, whatever the profile (see the top of the file).
    const stateDraw = this.#random.next();
    const burstDraw = this.#random.next();
    const lossDraw = this.#random.next();
    const jitterDraw = this.#random.next();
    const reorderDraw = this.#random.next();
    const duplicateDraw = this.#random.next();
    const duplicateJitterDraw = this.#random.next();

    const burst = p.burstLoss;
    if (burst) {
      this.#bad = this.#bad ? stateDraw >= burst.badToGood : stateDraw < burst.goodToBad;
    }
    if (p.dropAll) return { deliver: false, reason: 'drop-all' };
    if (burst) {
      const lossHere = this.#bad ? (burst.lossInBad ?? 1) : (burst.lossInGood ?? 0);
      if (burstDraw < lossHere) return { deliver: false, reason: 'burst-loss' };
    }
    if (lossDraw < (p.lossRate ?? 0)) return { deliver: false, reason: 'random-loss' };

    const baseMs = p.delayMs ?? 0;
    const jitterMs = p.jitterMs ?? 0;
    const reordered = reorderDraw < (p.reorderRate ?? 0);
    const first =
      baseMs + jitterDraw * jitterMs + (reordered ? (p.reorderDelayMs ?? DEFAULT_REORDER_DELAY_MS) : 0);
    if (duplicateDraw < (p.duplicateRate ?? 0)) {
      return { deliver: true, delaysMs: [first, baseMs + duplicateJitterDraw * jitterMs], reordered };
    }
    return { deliver: true, delaysMs: [first], reordered };
  }
}
