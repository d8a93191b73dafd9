import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import { DropCounters } from '../rtp/drop-counters.js';
import { type ImpairmentDropReason, ImpairmentModel, type ImpairmentProfile } from './impairment-model.js';

// Applies an ImpairmentModel's decisions in time: a packet to drop is counted and forgotten, a packet to delay waits
// in a queue ordered by due time and is handed on when the Clock's single timer fires. There is no netem in this
// machine's kernel (TESTING.md), so this is how delay and jitter reach the media path; it works the same on a
// ManualClock (unit tests) and on the system clock over real sockets (interop and impairment tests).
//
// A packet with no delay is handed on synchronously, so a stage with an empty profile changes nothing, not even
// timing. Packets due at the same instant leave in the order they came.

export interface ImpairmentStageOptions {
  readonly clock: Clock;
  readonly profile?: ImpairmentProfile;
  /** PRNG seed: the same seed gives the same decisions. Default 1. */
  readonly seed?: number;
}

export interface ImpairmentStats {
  /** Packets offered to the stage. */
  readonly packets: number;
  /** Copies handed on (duplicates included). */
  readonly delivered: number;
  readonly dropped: Partial<Record<ImpairmentDropReason, number>>;
  readonly droppedTotal: number;
  readonly duplicated: number;
  /** Packets given extra delay to be overtaken. */
  readonly reordered: number;
  /** Packets that arrived downstream after a packet offered later than them (what a receiver sees as reordering). */
  readonly overtaken: number;
  /** Packets held for any delay. */
  readonly delayed: number;
  /** The largest delay given, ms. */
  readonly maxDelayMs: number;
  /** Packets waiting now. */
  readonly queued: number;
}

interface Pending<T> {
  readonly dueMs: number;
  readonly order: number;
  readonly item: T;
  readonly deliver: (item: T) => void;
}

export class ImpairmentStage implements Disposable {
  readonly #clock: Clock;
  readonly #model: ImpairmentModel;
  readonly #drops = new DropCounters<ImpairmentDropReason>();
  /** Sorted by (dueMs, order). */
  #queue: Array<Pending<unknown>> = [];
  #timer: TimerHandle | undefined;
  #timerDueMs = Number.POSITIVE_INFINITY;
  #order = 0;
  #highestDeliveredOrder = -1;
  #disposed = false;
  #packets = 0;
  #delivered = 0;
  #duplicated = 0;
  #reordered = 0;
  #overtaken = 0;
  #delayed = 0;
  #maxDelayMs = 0;

  constructor(options: ImpairmentStageOptions) {
    this.#clock = options.clock;
    this.#model = new ImpairmentModel(options.profile ?? {}, options.seed ?? 1);
  }

  get profile(): ImpairmentProfile {
    return this.#model.profile;
  }

  /** Changes the impairment from the next packet on (e.g. start dropping everything mid-call). */
  setProfile(profile: ImpairmentProfile): void {
    this.#model.setProfile(profile);
  }

  /** Offers one packet; `deliver` is called with it (possibly twice, possibly later, possibly never). */
  process<T>(item: T, deliver: (item: T) => void): void {
    if (this.#disposed) return;
    this.#packets++;
    const order = this.#order++;
    const decision = this.#model.decide();
    if (!decision.deliver) {
      this.#drops.count(decision.reason);
      return;
    }
    if (decision.reordered) this.#reordered++;
    if (decision.delaysMs.length > 1) this.#duplicated++;
    const nowMs = this.#clock.now();
    for (const delayMs of decision.delaysMs) {
      this.#maxDelayMs = Math.max(this.#maxDelayMs, delayMs);
      if (delayMs <= 0 && this.#queue.length === 0) {
        this.#handOn(order, item, deliver);
        continue;
      }
      this.#delayed++;
      this.#enqueue({ dueMs: nowMs + delayMs, order, item, deliver: deliver as (item: unknown) => void });
    }
    this.#arm();
  }

  get stats(): ImpairmentStats {
    return {
      packets: this.#packets,
      delivered: this.#delivered,
      dropped: this.#drops.snapshot(),
      droppedTotal: this.#drops.total,
      duplicated: this.#duplicated,
      reordered: this.#reordered,
      overtaken: this.#overtaken,
      delayed: this.#delayed,
      maxDelayMs: this.#maxDelayMs,
      queued: this.#queue.length,
    };
  }

  /** Forgets queued packets and cancels the timer. */
  dispose(): void {
    this.#disposed = true;
    this.#queue = [];
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #enqueue(pending: Pending<unknown>): void {
    // Insertion from the back: delays are mostly similar, so the new packet usually belongs near the end.
    let at = this.#queue.length;
    while (at > 0) {
      const before = this.#queue[at - 1];
      if (before.dueMs < pending.dueMs || (before.dueMs === pending.dueMs && before.order <= pending.order))
        break;
      at--;
    }
    this.#queue.splice(at, 0, pending);
  }

  #arm(): void {
    const next = this.#queue[0];
    if (next === undefined || next.dueMs >= this.#timerDueMs) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timerDueMs = next.dueMs;
    this.#timer = this.#clock.setTimeout(() => this.#fire(), next.dueMs - this.#clock.now());
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
    const nowMs = this.#clock.now();
    while (!this.#disposed && this.#queue.length > 0 && this.#queue[0].dueMs <= nowMs) {
      const next = this.#queue.shift()!;
      this.#handOn(next.order, next.item, next.deliver);
    }
    if (!this.#disposed) this.#arm();
  }

  #handOn<T>(order: number, item: T, deliver: (item: T) => void): void {
    this.#delivered++;
    if (order < this.#highestDeliveredOrder) this.#overtaken++;
    this.#highestDeliveredOrder = Math.max(this.#highestDeliveredOrder, order);
    deliver(item);
  }
}
