// What a transaction needs from the world: a clock, the timer settings, and a channel to the one peer the
// transaction talks to. The stack builds the channel (destination, Via, connection, trace flags); the state
// machines stay free of sockets, so tests drive them on a ManualClock with a channel that records messages.

import type { Clock } from '../../common/clock.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { ExpiryQueue, Expiring } from './expiry-queue.js';
import type { TransactionTimerSettings } from './transaction-timers.js';

export interface TransactionChannel {
  /** True on TCP and TLS: no retransmission timers (A, E, G) and zero wait timers (D, I, J, K). */
  readonly reliable: boolean;
  /** The wire form of a message. Transactions keep these bytes, not the message, for retransmissions. */
  serialize(message: SipRequest | SipResponse): Uint8Array;
  /**
   * Hands serialised bytes to the transport. `retransmission` marks a repeated copy (for the trace and
   * statistics). `onFailure` runs once when the transport cannot send — never before `send` has returned, so
   * that a state machine is not re-entered mid-step — and the transaction then reports a transport error to its
   * TU (RFC 3261 §17.1.4, §17.2.4). A callback, not a promise: a transaction needs only the failure, and the
   * promises were most of what a sent message allocated (docs/adr/0171).
   */
  send(bytes: Uint8Array, retransmission: boolean, onFailure: (error: unknown) => void): void;
}

export interface TransactionEnvironment {
  readonly clock: Clock;
  readonly timers: TransactionTimerSettings;
  /**
   * Where the transactions' last waits run (Timers D, I, J, K, L, M): one clock timer for all of them instead of
   * one each (docs/adr/0162). One per owner of the transactions, on the same clock; the owner clears it when it
   * stops.
   */
  readonly expiries: ExpiryQueue<Expiring>;
  /**
   * Told of each transaction that reaches Terminated, before its own `terminated` listeners: how the owner files
   * it away without a listener (a closure) on every transaction it makes.
   */
  readonly onTerminated?: (transaction: { readonly key: string }) => void;
}
