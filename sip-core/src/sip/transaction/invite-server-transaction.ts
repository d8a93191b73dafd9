// The INVITE server transaction of RFC 3261 §17.2.1 with the Accepted state of RFC 6026 §7.1.

import { detachString } from '../../common/detached-string.js';
import { createResponse, type SipRequest, type SipResponse } from '../message/index.js';
import type { TransactionChannel, TransactionEnvironment } from './transaction-channel.js';
import { SipTransactionError } from './transaction-error.js';
import { timerT4WaitMs, transactionTimeoutMs } from './transaction-timers.js';
import { Transaction, type TransactionEvents } from './transaction.js';

/**
 * ```
 *                       INVITE received (100 Trying within 200 ms unless the TU answers first)
 *                                │
 *                                ▼       INVITE: re-send the last provisional
 *                         ┌────────────┐ 1xx from TU: send
 *                         │ Proceeding │
 *                         └────────────┘
 *               300-699 from TU │   │ 2xx from TU
 *                               ▼   └──────────────────┐
 *   INVITE: re-send final ┌────────────┐               ▼
 *   Timer G: re-send final│ Completed  │         ┌────────────┐ 2xx from TU: send (the TU retransmits)
 *                         └────────────┘         │  Accepted  │ INVITE: absorbed
 *               ACK │             │ Timer H      └────────────┘ ACK: to the TU
 *                   ▼             │ (no ACK)           │ Timer L
 *            ┌────────────┐       │                    │
 *            │ Confirmed  │ ACK/INVITE absorbed        │
 *            └────────────┘       │                    │
 *          Timer I │              ▼                    │
 *                  └──────►  Terminated  ◄─────────────┘
 * ```
 * Timer G (UDP only) re-sends a non-2xx final response from T1, doubling up to T2; Timer H (64·T1) gives up
 * waiting for its ACK; Timer I (T4 on UDP, 0 on TCP/TLS) absorbs ACK retransmissions; Timer L (64·T1, RFC 6026)
 * keeps the transaction in Accepted so that INVITE retransmissions are absorbed while the TU retransmits its 2xx.
 */
export enum InviteServerTransactionState {
  Proceeding = 'proceeding',
  Completed = 'completed',
  Accepted = 'accepted',
  Confirmed = 'confirmed',
  Terminated = 'terminated',
}

export interface InviteServerTransactionEvents extends TransactionEvents<InviteServerTransactionState> {
  /** Timer H fired: the ACK for the non-2xx final response never came (RFC 3261 §17.2.1). */
  timeout: (error: SipTransactionError) => void;
}

export interface InviteServerTransactionOptions {
  /**
   * How long the TU may take before the transaction sends 100 Trying itself (RFC 3261 §17.2.1 asks for it
   * unless the TU answers within 200 ms). Default 200 ms; 0 sends it at once.
   */
  readonly tryingDelayMs?: number;
}

/** What the stack does with a request that matched this transaction. */
export type ServerRequestDisposition = 'absorbed' | 'to-tu';

const S = InviteServerTransactionState;

export class InviteServerTransaction extends Transaction<
  InviteServerTransactionState,
  InviteServerTransactionEvents
> {
  readonly kind = 'invite-server' as const;
  /** Wire bytes, not message objects: they are all this state machine re-sends (see `Transaction.send`). */
  #lastProvisional: Uint8Array | undefined;
  #finalBytes: Uint8Array | undefined;
  #finalStatus: number | undefined;
  #finalToTag: string | undefined;
  #timerGMs = 0;
  #cancelled = false;

  constructor(
    key: string,
    request: SipRequest,
    environment: TransactionEnvironment,
    channel: TransactionChannel,
    options: InviteServerTransactionOptions = {},
  ) {
    super(key, request, environment, channel, S.Proceeding, S.Terminated);
    this.startTimer('Trying', options.tryingDelayMs ?? 200, () => {
      if (this.state === S.Proceeding && this.#lastProvisional === undefined) {
        this.respond(createResponse(request, 100));
      }
    });
  }

  /** The status of the final response the TU sent, if any. */
  get finalStatus(): number | undefined {
    return this.#finalStatus;
  }

  /** The To tag of the final response, if any (a CANCEL's 200 carries the same tag, RFC 3261 §9.2). */
  get finalToTag(): string | undefined {
    return this.#finalToTag;
  }

  /** Whether a CANCEL matched this transaction (the TU decides whether to answer 487). */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Marks the transaction as cancelled; returns false when it was already. Used by the stack on CANCEL. */
  markCancelled(): boolean {
    if (this.#cancelled) return false;
    this.#cancelled = true;
    return true;
  }

  /**
   * Sends a response from the TU. A 2xx may be sent again in Accepted (the TU's retransmissions, RFC 3261
   * §13.3.1.4); anything else after the final response is a TU error. `wire`: `response` serialised already, sent
   * as is.
   */
  respond(response: SipResponse, wire?: Uint8Array): void {
    const status = response.statusCode;
    if (this.state === S.Proceeding) {
      this.stopTimer('Trying');
      const bytes = this.send(wire ?? response);
      if (status < 200) {
        this.#lastProvisional = bytes;
        return;
      }
      this.#finalStatus = status;
      // Kept 64·T1: a copy, not a slice that would keep the response's To header text alive as well.
      const toTag = response.to?.tag;
      this.#finalToTag = toTag === undefined ? undefined : detachString(toTag);
      this.releaseRequest();
      // Nothing re-sends the provisional any more; do not keep it for the 64·T1 that follow.
      this.#lastProvisional = undefined;
      if (status < 300) {
        this.toState(S.Accepted);
        this.terminateAfter(transactionTimeoutMs(this.environment.timers)); // Timer L
      } else {
        this.#finalBytes = bytes;
        this.toState(S.Completed);
        if (!this.reliable) {
          this.#timerGMs = this.environment.timers.t1Ms;
          this.startTimer('G', this.#timerGMs, () => this.#onTimerG());
        }
        this.startTimer('H', transactionTimeoutMs(this.environment.timers), () => this.#onTimerH());
      }
      return;
    }
    if (this.state === S.Accepted && status >= 200 && status < 300) {
      // The TU re-sends its 2xx until the ACK (RFC 3261 §13.3.1.4): a retransmission by definition.
      this.send(wire ?? response, true);
      return;
    }
    throw new SipTransactionError(
      this.isTerminated ? 'SIP_TRANSACTION_TERMINATED' : 'SIP_TRANSACTION_STATE',
      `Cannot send a ${status} response: the INVITE transaction is ${this.state}${
        this.#finalStatus !== undefined ? ` and already answered ${this.#finalStatus}` : ''
      }.`,
    );
  }

  /**
   * The TU's retransmission of its 2xx (RFC 3261 §13.3.1.4) as the bytes it sent the first time: a TU waiting for
   * the ACK keeps those bytes, not the response and its parsed headers. Only while Accepted.
   */
  retransmit2xx(wire: Uint8Array): void {
    if (this.state !== S.Accepted) {
      throw new SipTransactionError(
        this.isTerminated ? 'SIP_TRANSACTION_TERMINATED' : 'SIP_TRANSACTION_STATE',
        `Cannot re-send a 2xx: the INVITE transaction is ${this.state}.`,
      );
    }
    this.send(wire, true);
  }

  /** A retransmitted INVITE or an ACK matched to this transaction by the stack (RFC 3261 §17.2.3). */
  receiveRequest(request: SipRequest): ServerRequestDisposition {
    const isAck = request.method === 'ACK';
    switch (this.state) {
      case S.Proceeding:
        if (!isAck && this.#lastProvisional !== undefined) this.send(this.#lastProvisional, true);
        return 'absorbed';
      case S.Completed:
        if (isAck) {
          this.stopTimer('G');
          this.stopTimer('H');
          this.toState(S.Confirmed);
          this.terminateAfter(timerT4WaitMs(this.environment.timers, this.reliable)); // Timer I
        } else if (this.#finalBytes !== undefined) {
          this.send(this.#finalBytes, true);
        }
        return 'absorbed';
      case S.Accepted:
        // RFC 6026 §7.1: an ACK that matches here acknowledges the 2xx and belongs to the TU (a UAC that reused
        // the INVITE's branch); INVITE retransmissions are absorbed, the TU's own 2xx retransmissions cover them.
        return isAck ? 'to-tu' : 'absorbed';
      case S.Confirmed:
      case S.Terminated:
        return 'absorbed';
    }
  }

  #onTimerG(): void {
    if (this.state !== S.Completed || this.#finalBytes === undefined) return;
    this.send(this.#finalBytes, true);
    this.#timerGMs = Math.min(2 * this.#timerGMs, this.environment.timers.t2Ms);
    this.startTimer('G', this.#timerGMs, () => this.#onTimerG());
  }

  #onTimerH(): void {
    this.events.emit(
      'timeout',
      new SipTransactionError(
        'SIP_TRANSACTION_TIMEOUT',
        `No ACK for the ${this.#finalStatus ?? ''} response within ${transactionTimeoutMs(this.environment.timers)} ms (Timer H).`,
      ),
    );
    this.toState(S.Terminated);
  }
}
