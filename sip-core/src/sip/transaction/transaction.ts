// What every transaction shares: its key, a state with change events, named timers on the injected clock, and a
// single way to send that turns a transport failure into a TU event (RFC 3261 §17.1.4, §17.2.4).

import type { TimerHandle } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import { describeError } from '../../common/errors.js';
import { type EventMap, TypedEmitter } from '../../common/typed-emitter.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { TransactionChannel, TransactionEnvironment } from './transaction-channel.js';
import { SipTransactionError } from './transaction-error.js';

/** Events every transaction emits, whatever its kind. */
export interface TransactionEvents<S extends string> {
  /** The state machine moved (from, to). */
  stateChanged: (state: S, previous: S) => void;
  /** The transport could not send: the TU treats it like a 503 (RFC 3261 §8.1.3.1) or gives up on the response. */
  transportError: (error: SipTransactionError) => void;
  /** The transaction reached Terminated and is gone from the stack's tables. */
  terminated: () => void;
}

/** Events of both client transactions. */
export interface ClientTransactionEvents<S extends string> extends TransactionEvents<S> {
  /** A response for the TU (which ones, each client transaction says). */
  response: (response: SipResponse) => void;
  /** Timer B or F fired: treat it as 408 Request Timeout (RFC 3261 §8.1.3.1). */
  timeout: (error: SipTransactionError) => void;
}

export abstract class Transaction<S extends string, E extends EventMap<E> & TransactionEvents<S>> {
  /** The matching key (RFC 3261 §17.1.3 / §17.2.3) under which the stack files this transaction. */
  readonly key: string;
  #request: SipRequest | undefined;
  protected readonly environment: TransactionEnvironment;
  protected readonly channel: TransactionChannel;
  protected readonly events = new TypedEmitter<E>();
  #state: S;
  readonly #terminatedState: S;
  /** The running timers by name; made by the first and dropped with the last (a transaction spends most of its
   * life in its last wait, which is the environment's expiry queue's, docs/adr/0162). */
  #timers: Map<string, TimerHandle> | undefined;

  /** The same emitter, seen through the events every transaction has. */
  get #baseEvents(): TypedEmitter<TransactionEvents<S>> {
    return this.events as unknown as TypedEmitter<TransactionEvents<S>>;
  }

  protected constructor(
    key: string,
    request: SipRequest,
    environment: TransactionEnvironment,
    channel: TransactionChannel,
    initial: S,
    terminated: S,
  ) {
    this.key = key;
    this.#request = request;
    this.environment = environment;
    this.channel = channel;
    this.#state = initial;
    this.#terminatedState = terminated;
  }

  /**
   * The request that created the transaction (sent by a client transaction, received by a server one). A server
   * transaction lets go of it once its final response is sent — it only re-sends bytes from then on, for up to
   * 64·T1 — so read it before answering, or keep it in the TU.
   */
  get request(): SipRequest {
    if (this.#request === undefined) {
      throw new SipTransactionError(
        'SIP_TRANSACTION_RELEASED',
        'The request of a server transaction is released once its final response is sent; keep a reference in the TU if it is needed later.',
      );
    }
    return this.#request;
  }

  /** Server transactions call this when their final response is out: the request is no longer needed. */
  protected releaseRequest(): void {
    this.#request = undefined;
  }

  get state(): S {
    return this.#state;
  }

  get isTerminated(): boolean {
    return this.#state === this.#terminatedState;
  }

  /** True on TCP and TLS. */
  get reliable(): boolean {
    return this.channel.reliable;
  }

  on<K extends keyof E>(event: K, listener: E[K]): Disposable {
    return this.events.on(event, listener);
  }

  once<K extends keyof E>(event: K, listener: E[K]): Disposable {
    return this.events.once(event, listener);
  }

  /** Calls `listener` once when the transaction terminates (works on a union of transaction kinds). */
  onTerminated(listener: () => void): Disposable {
    return this.#baseEvents.on('terminated', listener);
  }

  /**
   * Ends the transaction at once without sending anything: the stack is shutting down, or its last wait (Timer D,
   * I, J, K, L or M, `terminateAfter`) ran out in the environment's expiry queue. On an ended one it does nothing.
   */
  terminate(): void {
    this.toState(this.#terminatedState);
  }

  protected toState(next: S): void {
    const previous = this.#state;
    if (previous === next || previous === this.#terminatedState) return;
    this.#state = next;
    if (next === this.#terminatedState) this.#clearTimers();
    this.#baseEvents.emit('stateChanged', next, previous);
    if (next === this.#terminatedState) {
      this.environment.onTerminated?.(this);
      this.#baseEvents.emit('terminated');
      this.events.removeAllListeners();
    }
  }

  /**
   * The last wait: the transaction ends `delayMs` from now, or at once when it is 0 (a reliable transport). It
   * goes into the environment's expiry queue, not a timer of its own (docs/adr/0162); nothing cuts it short.
   */
  protected terminateAfter(delayMs: number): void {
    this.environment.expiries.add(this, delayMs);
  }

  /** Starts (or restarts) the timer `name`; a zero delay runs `fire` at once, as the RFC's "set to zero" means. */
  protected startTimer(name: string, delayMs: number, fire: () => void): void {
    this.stopTimer(name);
    if (delayMs <= 0) {
      fire();
      return;
    }
    const handle = this.environment.clock.setTimeout(() => {
      this.#forgetTimer(name);
      if (!this.isTerminated) fire();
    }, delayMs);
    (this.#timers ??= new Map()).set(name, handle);
  }

  protected stopTimer(name: string): void {
    const handle = this.#timers?.get(name);
    if (handle === undefined) return;
    this.environment.clock.clearTimeout(handle);
    this.#forgetTimer(name);
  }

  protected hasTimer(name: string): boolean {
    return this.#timers?.has(name) ?? false;
  }

  #forgetTimer(name: string): void {
    const timers = this.#timers;
    if (timers === undefined) return;
    timers.delete(name);
    if (timers.size === 0) this.#timers = undefined;
  }

  /**
   * Serialises and sends `message` through the channel, returning the bytes so that a state that only re-sends
   * can keep them instead of the message object (for 64·T1 on UDP, at thousands of calls per second, the
   * difference is most of the heap). A failure reports a transport error and terminates the transaction.
   */
  protected send(message: SipRequest | SipResponse | Uint8Array, retransmission = false): Uint8Array {
    const bytes = message instanceof Uint8Array ? message : this.channel.serialize(message);
    try {
      this.channel.send(bytes, retransmission, (error) => this.#onTransportFailure(error));
    } catch (error) {
      this.#onTransportFailure(error);
    }
    return bytes;
  }

  #onTransportFailure(error: unknown): void {
    if (this.isTerminated) return;
    const failure = new SipTransactionError(
      'SIP_TRANSACTION_TRANSPORT_FAILED',
      `The transport could not send the message: ${describeError(error)}`,
      { cause: error },
    );
    this.#baseEvents.emit('transportError', failure);
    this.terminate();
  }

  #clearTimers(): void {
    const timers = this.#timers;
    if (timers === undefined) return;
    for (const handle of timers.values()) this.environment.clock.clearTimeout(handle);
    this.#timers = undefined;
  }
}
