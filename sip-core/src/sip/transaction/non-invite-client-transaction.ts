// The non-INVITE client transaction of RFC 3261 §17.1.2.

import type { SipRequest, SipResponse } from '../message/index.js';
import type { TransactionChannel, TransactionEnvironment } from './transaction-channel.js';
import { SipTransactionError } from './transaction-error.js';
import { timerT4WaitMs, transactionTimeoutMs } from './transaction-timers.js';
import { Transaction, type ClientTransactionEvents } from './transaction.js';

/**
 * ```
 *                 start: send request, Timer E (UDP), Timer F
 *                              │
 *                              ▼        Timer E: re-send, E = min(2E, T2)
 *                       ┌────────────┐
 *     Timer F/transport │   Trying   │─── 1xx ──────┐
 *          ┌────────────└────────────┘              ▼
 *          │                 │ 200-699        ┌────────────┐ Timer E: re-send, E = T2
 *          │                 │                │ Proceeding │ 1xx: to TU
 *          │                 │                └────────────┘
 *          │                 ▼   200-699            │ Timer F/transport
 *          │          ┌────────────┐◄───────────────┤
 *          │          │ Completed  │ responses absorbed
 *          │          └────────────┘                │
 *          │                 │ Timer K (T4 on UDP, 0 on TCP/TLS)
 *          ▼                 ▼                      │
 *        Terminated  ◄───────────────────────────────┘
 * ```
 */
export enum NonInviteClientTransactionState {
  Trying = 'trying',
  Proceeding = 'proceeding',
  Completed = 'completed',
  Terminated = 'terminated',
}

/** `response` carries each provisional response and the final response (once); `timeout` is Timer F. */
export type NonInviteClientTransactionEvents = ClientTransactionEvents<NonInviteClientTransactionState>;

const S = NonInviteClientTransactionState;

export class NonInviteClientTransaction extends Transaction<
  NonInviteClientTransactionState,
  NonInviteClientTransactionEvents
> {
  readonly kind = 'non-invite-client' as const;
  #timerEMs = 0;
  #requestBytes: Uint8Array | undefined;
  #finalResponse: SipResponse | undefined;

  constructor(
    key: string,
    request: SipRequest,
    environment: TransactionEnvironment,
    channel: TransactionChannel,
  ) {
    super(key, request, environment, channel, S.Trying, S.Terminated);
  }

  get finalResponse(): SipResponse | undefined {
    return this.#finalResponse;
  }

  /** Sends the request and starts Timers E and F. */
  start(): void {
    if (this.state !== S.Trying || this.hasTimer('F')) return;
    this.#requestBytes = this.send(this.request);
    if (!this.reliable) {
      this.#timerEMs = this.environment.timers.t1Ms;
      this.startTimer('E', this.#timerEMs, () => this.#onTimerE());
    }
    this.startTimer('F', transactionTimeoutMs(this.environment.timers), () => this.#onTimerF());
  }

  receiveResponse(response: SipResponse): void {
    if (this.state !== S.Trying && this.state !== S.Proceeding) return;
    if (response.statusCode < 200) {
      this.toState(S.Proceeding);
      this.events.emit('response', response);
      return;
    }
    this.#finalResponse = response;
    this.stopTimer('E');
    this.stopTimer('F');
    this.toState(S.Completed);
    this.events.emit('response', response);
    this.terminateAfter(timerT4WaitMs(this.environment.timers, this.reliable)); // Timer K
  }

  #onTimerE(): void {
    if (this.#requestBytes !== undefined) this.send(this.#requestBytes, true);
    const { t2Ms } = this.environment.timers;
    // §17.1.2.2: in Trying the interval doubles up to T2; once a provisional arrived it stays at T2.
    this.#timerEMs = this.state === S.Proceeding ? t2Ms : Math.min(2 * this.#timerEMs, t2Ms);
    this.startTimer('E', this.#timerEMs, () => this.#onTimerE());
  }

  #onTimerF(): void {
    this.events.emit(
      'timeout',
      new SipTransactionError(
        'SIP_TRANSACTION_TIMEOUT',
        `No final response to the ${this.request.method} within ${transactionTimeoutMs(this.environment.timers)} ms (Timer F); the peer is unreachable or not answering.`,
      ),
    );
    this.toState(S.Terminated);
  }
}
