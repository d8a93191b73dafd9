// RFC 3261 §13.3.1.4: the UAS core, not the transaction, keeps a 2xx to INVITE alive until its ACK arrives — the
// INVITE server transaction leaves the picture on a 2xx (Accepted, RFC 6026), and the ACK for a 2xx is a
// transaction of its own. The 2xx is re-sent from T1, doubling up to T2; after 64·T1 without an ACK the TU is
// told, so that it can end the dialog with a BYE (§13.3.1.4, last paragraph).

import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import { transactionTimeoutMs, type TransactionTimerSettings } from '../transaction/index.js';

/**
 * ```
 *   start ──► Waiting ── ACK ──► Acknowledged
 *               │ └─ T1, 2·T1, … ≤ T2: re-send the 2xx
 *               └──── 64·T1 ─────► TimedOut (TU sends BYE)
 * ```
 */
export enum Uas2xxRetransmitterState {
  Waiting = 'waiting',
  Acknowledged = 'acknowledged',
  TimedOut = 'timed-out',
  Stopped = 'stopped',
}

export interface Uas2xxRetransmitterEvents {
  /** The 2xx was re-sent (the count so far). */
  retransmitted: (count: number) => void;
  /** No ACK within 64·T1: the TU should send BYE. */
  timeout: () => void;
}

export interface Uas2xxRetransmitterOptions {
  readonly clock: Clock;
  readonly timers: TransactionTimerSettings;
  /** Re-sends the 2xx (through the INVITE server transaction in Accepted, or the stack's `sendResponse`). */
  readonly resend: () => void;
  /**
   * On a reliable transport the 2xx is not re-sent (the hop is reliable; see the dialog README), but the ACK is
   * still awaited for 64·T1. Default false.
   */
  readonly reliable?: boolean;
}

export class Uas2xxRetransmitter implements Disposable {
  readonly #options: Uas2xxRetransmitterOptions;
  readonly #events = new TypedEmitter<Uas2xxRetransmitterEvents>();
  #state = Uas2xxRetransmitterState.Waiting;
  #intervalMs: number;
  #retransmissions = 0;
  #retransmitTimer: TimerHandle | undefined;
  readonly #giveUpTimer: TimerHandle;

  constructor(options: Uas2xxRetransmitterOptions) {
    this.#options = options;
    this.#intervalMs = options.timers.t1Ms;
    if (options.reliable !== true) this.#schedule();
    this.#giveUpTimer = options.clock.setTimeout(
      () => this.#onGiveUp(),
      transactionTimeoutMs(options.timers),
    );
  }

  get state(): Uas2xxRetransmitterState {
    return this.#state;
  }

  get retransmissions(): number {
    return this.#retransmissions;
  }

  on<K extends keyof Uas2xxRetransmitterEvents>(
    event: K,
    listener: Uas2xxRetransmitterEvents[K],
  ): Disposable {
    return this.#events.on(event, listener);
  }

  /** The ACK arrived: stop re-sending. Returns false when it had already arrived (a retransmitted ACK). */
  ackReceived(): boolean {
    if (this.#state !== Uas2xxRetransmitterState.Waiting) return false;
    this.#finish(Uas2xxRetransmitterState.Acknowledged);
    return true;
  }

  dispose(): void {
    if (this.#state === Uas2xxRetransmitterState.Waiting) this.#finish(Uas2xxRetransmitterState.Stopped);
  }

  #schedule(): void {
    this.#retransmitTimer = this.#options.clock.setTimeout(() => {
      if (this.#state !== Uas2xxRetransmitterState.Waiting) return;
      this.#retransmissions++;
      this.#options.resend();
      this.#events.emit('retransmitted', this.#retransmissions);
      this.#intervalMs = Math.min(2 * this.#intervalMs, this.#options.timers.t2Ms);
      this.#schedule();
    }, this.#intervalMs);
  }

  #onGiveUp(): void {
    if (this.#state !== Uas2xxRetransmitterState.Waiting) return;
    this.#finish(Uas2xxRetransmitterState.TimedOut);
    this.#events.emit('timeout');
  }

  #finish(state: Uas2xxRetransmitterState): void {
    this.#state = state;
    this.#options.clock.clearTimeout(this.#retransmitTimer);
    this.#options.clock.clearTimeout(this.#giveUpTimer);
    if (state !== Uas2xxRetransmitterState.TimedOut) this.#events.removeAllListeners();
  }
}
