// The INVITE client transaction of RFC 3261 §17.1.1 with the Accepted state of RFC 6026 §7.2.

import { createNon2xxAck, type SipRequest, type SipResponse } from '../message/index.js';
import type { TransactionChannel, TransactionEnvironment } from './transaction-channel.js';
import { SipTransactionError } from './transaction-error.js';
import { timerDMs, transactionTimeoutMs } from './transaction-timers.js';
import { Transaction, type ClientTransactionEvents } from './transaction.js';

/**
 * ```
 *                      start: send INVITE, Timer A (UDP), Timer B
 *                                   │
 *                                   ▼
 *        Timer B / transport ┌─────────────┐ 1xx
 *      ┌─────────────────────│   Calling   │──────────┐
 *      │                     └─────────────┘          ▼
 *      │                      │ 2xx     │ 300-699 ┌─────────────┐ 1xx: to TU
 *      │                      │         │         │ Proceeding  │◄───┘
 *      │                      │         │         └─────────────┘
 *      │                      ▼         ▼   300-699 │       │ 2xx
 *      │            ┌────────────┐  ┌────────────┐◄─┘       │
 *      │            │  Accepted  │◄─┼────────────┼──────────┘
 *      │            └────────────┘  │ Completed  │ 300-699: re-send ACK
 *      │ 2xx: to TU │ Timer M       └────────────┘
 *      │            ▼                     │ Timer D
 *      └───────►  Terminated  ◄───────────┘
 * ```
 * Timer A retransmits the INVITE in Calling (UDP only, doubling from T1 without a cap); Timer B (64·T1) times
 * out Calling; Timer D (≥ 32 s on UDP, 0 on TCP/TLS) absorbs retransmitted final responses; Timer M (64·T1,
 * RFC 6026) passes retransmitted 2xx responses from forks to the TU.
 */
export enum InviteClientTransactionState {
  Calling = 'calling',
  Proceeding = 'proceeding',
  Completed = 'completed',
  Accepted = 'accepted',
  Terminated = 'terminated',
}

/**
 * `response` carries every 1xx, the non-2xx final response once, and every 2xx (the first one and the
 * retransmissions and forks that arrive in Accepted, RFC 6026 §7.2): the TU acknowledges each 2xx itself.
 * `timeout` is Timer B in Calling.
 */
export interface InviteClientTransactionEvents extends ClientTransactionEvents<InviteClientTransactionState> {
  /** The CANCEL the TU asked for may go now: a provisional response has arrived (RFC 3261 §9.1). */
  cancelReady: () => void;
}

const S = InviteClientTransactionState;

export class InviteClientTransaction extends Transaction<
  InviteClientTransactionState,
  InviteClientTransactionEvents
> {
  readonly kind = 'invite-client' as const;
  #timerAMs = 0;
  #requestBytes: Uint8Array | undefined;
  #ack: SipRequest | undefined;
  #ackBytes: Uint8Array | undefined;
  #cancelRequested = false;
  #cancelReleased = false;
  #provisionalSeen = false;
  #finalResponse: SipResponse | undefined;

  constructor(
    key: string,
    request: SipRequest,
    environment: TransactionEnvironment,
    channel: TransactionChannel,
  ) {
    super(key, request, environment, channel, S.Calling, S.Terminated);
  }

  /** The first final response, once there is one. */
  get finalResponse(): SipResponse | undefined {
    return this.#finalResponse;
  }

  /** The ACK this transaction sent for a non-2xx final response (RFC 3261 §17.1.1.3). */
  get ack(): SipRequest | undefined {
    return this.#ack;
  }

  /** Whether the TU asked to cancel this INVITE. */
  get cancelRequested(): boolean {
    return this.#cancelRequested;
  }

  /** Sends the INVITE and starts Timers A and B. */
  start(): void {
    if (this.state !== S.Calling || this.hasTimer('B')) return;
    this.#requestBytes = this.send(this.request);
    if (!this.reliable) {
      this.#timerAMs = this.environment.timers.t1Ms;
      this.startTimer('A', this.#timerAMs, () => this.#onTimerA());
    }
    this.startTimer('B', transactionTimeoutMs(this.environment.timers), () => this.#onTimerB());
  }

  /**
   * Asks for a CANCEL. It is released (`cancelReady`) at once when a provisional response has arrived, otherwise
   * when the first one does; never after a final response (RFC 3261 §9.1). Returns whether it was released now.
   */
  requestCancel(): boolean {
    if (this.#cancelRequested) return false;
    this.#cancelRequested = true;
    return this.#releaseCancel();
  }

  /** A response matched to this transaction by the stack (RFC 3261 §17.1.3). */
  receiveResponse(response: SipResponse): void {
    const status = response.statusCode;
    switch (this.state) {
      case S.Calling:
      case S.Proceeding:
        if (status < 200) {
          this.stopTimer('A');
          this.stopTimer('B');
          this.#provisionalSeen = true;
          this.toState(S.Proceeding);
          this.events.emit('response', response);
          this.#releaseCancel();
        } else if (status < 300) {
          this.#finalResponse = response;
          this.stopTimer('A');
          this.stopTimer('B');
          this.toState(S.Accepted);
          this.terminateAfter(transactionTimeoutMs(this.environment.timers)); // Timer M
          this.events.emit('response', response);
        } else {
          this.#finalResponse = response;
          this.stopTimer('A');
          this.stopTimer('B');
          this.#ack = createNon2xxAck(this.request, response);
          this.#ackBytes = this.send(this.#ack);
          this.toState(S.Completed);
          this.events.emit('response', response);
          this.terminateAfter(timerDMs(this.environment.timers, this.reliable)); // Timer D
        }
        return;
      case S.Completed:
        // A retransmitted final response: our ACK was lost (§17.1.1.2). Not passed to the TU.
        if (status >= 300 && this.#ackBytes !== undefined) this.send(this.#ackBytes, true);
        return;
      case S.Accepted:
        // RFC 6026 §7.2: 2xx retransmissions and 2xx from other forks go to the TU, which ACKs each of them.
        if (status >= 200 && status < 300) this.events.emit('response', response);
        return;
      case S.Terminated:
        return;
    }
  }

  #releaseCancel(): boolean {
    if (!this.#cancelRequested || this.#cancelReleased || !this.#provisionalSeen) return false;
    if (this.state !== S.Proceeding) return false;
    this.#cancelReleased = true;
    this.events.emit('cancelReady');
    return true;
  }

  #onTimerA(): void {
    if (this.state !== S.Calling || this.#requestBytes === undefined) return;
    this.send(this.#requestBytes, true);
    this.#timerAMs *= 2;
    this.startTimer('A', this.#timerAMs, () => this.#onTimerA());
  }

  #onTimerB(): void {
    if (this.state !== S.Calling) return;
    this.events.emit(
      'timeout',
      new SipTransactionError(
        'SIP_TRANSACTION_TIMEOUT',
        `No response to the INVITE within ${transactionTimeoutMs(this.environment.timers)} ms (Timer B); the peer is unreachable or not answering.`,
      ),
    );
    this.toState(S.Terminated);
  }
}
