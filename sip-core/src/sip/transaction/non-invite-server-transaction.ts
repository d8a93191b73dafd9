// The non-INVITE server transaction of RFC 3261 §17.2.2.

import type { SipRequest, SipResponse } from '../message/index.js';
import type { ServerRequestDisposition } from './invite-server-transaction.js';
import type { TransactionChannel, TransactionEnvironment } from './transaction-channel.js';
import { SipTransactionError } from './transaction-error.js';
import { timerJMs } from './transaction-timers.js';
import { Transaction, type TransactionEvents } from './transaction.js';

/**
 * ```
 *                     request received
 *                            │
 *                            ▼    request: absorbed
 *                     ┌────────────┐
 *                     │   Trying   │
 *                     └────────────┘
 *           1xx from TU │        │ 200-699 from TU
 *                       ▼        │
 *                ┌────────────┐  │   request: re-send the last provisional
 *                │ Proceeding │  │   1xx from TU: send
 *                └────────────┘  │
 *        200-699 from TU │       │
 *                        ▼       ▼
 *                     ┌────────────┐ request: re-send the final response
 *                     │ Completed  │
 *                     └────────────┘
 *                            │ Timer J (64·T1 on UDP, 0 on TCP/TLS)
 *                            ▼
 *                        Terminated
 * ```
 */
export enum NonInviteServerTransactionState {
  Trying = 'trying',
  Proceeding = 'proceeding',
  Completed = 'completed',
  Terminated = 'terminated',
}

export type NonInviteServerTransactionEvents = TransactionEvents<NonInviteServerTransactionState>;

const S = NonInviteServerTransactionState;

export class NonInviteServerTransaction extends Transaction<
  NonInviteServerTransactionState,
  NonInviteServerTransactionEvents
> {
  readonly kind = 'non-invite-server' as const;
  /** The last response's wire bytes: all this state machine re-sends (see `Transaction.send`). */
  #lastResponse: Uint8Array | undefined;
  #finalStatus: number | undefined;
  readonly #method: string;

  constructor(
    key: string,
    request: SipRequest,
    environment: TransactionEnvironment,
    channel: TransactionChannel,
  ) {
    super(key, request, environment, channel, S.Trying, S.Terminated);
    this.#method = request.method;
  }

  /** The status of the final response, once sent. */
  get finalStatus(): number | undefined {
    return this.#finalStatus;
  }

  /** `wire`: `response` serialised already (a response whose bytes were recorded before it was sent), sent as is. */
  respond(response: SipResponse, wire?: Uint8Array): void {
    if (this.state !== S.Trying && this.state !== S.Proceeding) {
      throw new SipTransactionError(
        this.isTerminated ? 'SIP_TRANSACTION_TERMINATED' : 'SIP_TRANSACTION_STATE',
        `Cannot send a ${response.statusCode} response to ${this.#method}: it was answered already.`,
      );
    }
    this.#lastResponse = this.send(wire ?? response);
    if (response.statusCode < 200) {
      this.toState(S.Proceeding);
      return;
    }
    this.#finalStatus = response.statusCode;
    this.releaseRequest();
    this.toState(S.Completed);
    this.terminateAfter(timerJMs(this.environment.timers, this.reliable)); // Timer J
  }

  /** A retransmission of the request (RFC 3261 §17.2.2). */
  receiveRequest(_request: SipRequest): ServerRequestDisposition {
    if ((this.state === S.Proceeding || this.state === S.Completed) && this.#lastResponse !== undefined) {
      this.send(this.#lastResponse, true);
    }
    return 'absorbed';
  }
}
