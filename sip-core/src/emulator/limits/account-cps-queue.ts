// The account CPS queue (BEHAVIOUR.md §12.1, §17, §20 default "queue"): a call over the account's CPS waits, first
// in first out, for a free slot, at most `maxWaitMs` (10 s by default), then gets 503 + 5180 from its caller.
// When a slot frees, the head of the queue is released to its caller, which evaluates the policy again with
// fresh counters (synchronously, inside `onRelease`) and admits the call or answers it. Timers come from the
// injected Clock, so tests run ten seconds of queueing in microseconds.
//
// A ticket's life:
//
//   enqueue ──► waiting ──┬── slot free ──► released ──► (caller admits, rejects, or requeue() → waiting)
//                         ├── maxWaitMs ──► timed-out ──► caller sends onTimeout (503 + 5180)
//                         └── cancel() ───► cancelled   (CANCEL from the customer, or shutdown)

import type { Clock, TimerHandle } from '../../common/clock.js';
import { errorEvent, type CpsQueueEvent, type EmulatorEventSink } from '../emulator-events.js';

export type QueueTicketState = 'waiting' | 'released' | 'timed-out' | 'cancelled';

export interface QueueTicket {
  readonly callKey: string;
  readonly enqueuedAtMs: number;
  readonly maxWaitMs: number;
  readonly state: QueueTicketState;
  /** How long the call has waited (until release, timeout or cancel once it left the queue). */
  readonly waitedMs: number;
  /** Leaves the queue; no callback follows. */
  cancel(): void;
  /**
   * Only inside `onRelease`: puts the call back at the head (the re-evaluation queued it again because the slot
   * was taken after all). It keeps its place and its deadline.
   */
  requeue(): void;
}

export interface QueueRequest {
  readonly callKey: string;
  /** From the policy's queue decision (`maxWaitMs`). */
  readonly maxWaitMs: number;
  /** A slot is free: re-evaluate and admit now, synchronously. */
  readonly onRelease: (ticket: QueueTicket) => void;
  /** The wait bound passed: answer with the decision's `onTimeout` (503 + 5180). */
  readonly onTimeout: (ticket: QueueTicket) => void;
}

/** What the queue needs to know about the account's CPS window. */
export interface AccountCpsWindow {
  readonly limit: () => number;
  readonly count: (nowMs: number) => number;
  /** When the oldest admission leaves the window, or undefined when it is empty. */
  readonly nextExpiryMs: (nowMs: number) => number | undefined;
}

export interface AccountCpsQueueOptions {
  readonly clock: Clock;
  readonly window: AccountCpsWindow;
  readonly events?: EmulatorEventSink;
  /**
   * More waiting calls than this time out at once (their caller answers 503 + 5180), so a flood cannot grow the
   * queue without bound. Default 10,000: far more than any CPS limit can release within the wait bound.
   */
  readonly maxQueuedCalls?: number;
}

class Ticket implements QueueTicket {
  state: QueueTicketState = 'waiting';
  timer: TimerHandle | undefined;
  leftAtMs: number | undefined;
  requeued = false;

  constructor(
    readonly request: QueueRequest,
    readonly enqueuedAtMs: number,
    readonly queue: AccountCpsQueue,
  ) {}

  get callKey(): string {
    return this.request.callKey;
  }

  get maxWaitMs(): number {
    return this.request.maxWaitMs;
  }

  get waitedMs(): number {
    return (this.leftAtMs ?? this.queue.nowMs()) - this.enqueuedAtMs;
  }

  cancel(): void {
    this.queue.cancel(this);
  }

  requeue(): void {
    if (this.state !== 'released' || this.queue.releasing !== this) {
      throw new RangeError('requeue() is only possible inside onRelease');
    }
    this.requeued = true;
  }
}

export class AccountCpsQueue {
  readonly #clock: Clock;
  readonly #window: AccountCpsWindow;
  readonly #events: EmulatorEventSink | undefined;
  readonly #maxQueuedCalls: number;
  #waiting: Ticket[] = [];
  #releaseTimer: TimerHandle | undefined;
  #releasing: Ticket | undefined;

  constructor(options: AccountCpsQueueOptions) {
    this.#clock = options.clock;
    this.#window = options.window;
    this.#events = options.events;
    this.#maxQueuedCalls = options.maxQueuedCalls ?? 10_000;
  }

  /** Calls waiting now. */
  get length(): number {
    return this.#waiting.length;
  }

  /** The ticket being released right now (inside its `onRelease`), if any. */
  get releasing(): QueueTicket | undefined {
    return this.#releasing;
  }

  /** @internal */
  nowMs(): number {
    return this.#clock.now();
  }

  /**
   * Queues a call. When the queue is full the call times out at once (`onTimeout` runs before this returns) and
   * the ticket comes back in state `timed-out`.
   */
  enqueue(request: QueueRequest): QueueTicket {
    const ticket = new Ticket(request, this.#clock.now(), this);
    if (this.#waiting.length >= this.#maxQueuedCalls) {
      this.#leave(ticket, 'timed-out');
      request.onTimeout(ticket);
      return ticket;
    }
    this.#waiting.push(ticket);
    ticket.timer = this.#clock.setTimeout(() => this.#timeout(ticket), request.maxWaitMs);
    this.#emit('queued', ticket);
    this.#schedule();
    return ticket;
  }

  /** @internal Use `ticket.cancel()`. */
  cancel(ticket: Ticket): void {
    if (ticket.state !== 'waiting') return;
    this.#waiting = this.#waiting.filter((t) => t !== ticket);
    this.#leave(ticket, 'cancelled');
    this.#schedule();
  }

  /** Cancels every waiting call (shutdown); no callbacks run. */
  dispose(): void {
    for (const ticket of this.#waiting) this.#leave(ticket, 'cancelled');
    this.#waiting = [];
    this.#clock.clearTimeout(this.#releaseTimer);
    this.#releaseTimer = undefined;
  }

  #timeout(ticket: Ticket): void {
    if (ticket.state !== 'waiting') return;
    this.#waiting = this.#waiting.filter((t) => t !== ticket);
    this.#leave(ticket, 'timed-out');
    this.#call(ticket, ticket.request.onTimeout);
    this.#schedule();
  }

  /** Runs a caller's callback from a timer: a throw becomes an error event, never an uncaught exception. */
  #call(ticket: Ticket, callback: (ticket: QueueTicket) => void): void {
    try {
      callback(ticket);
    } catch (error) {
      this.#events?.emit('error', errorEvent(this.#clock, 'internal', error, ticket.callKey));
    }
  }

  /** Releases waiting calls, oldest first, while the account window has room. */
  #drain(): void {
    this.#releaseTimer = undefined;
    while (this.#waiting.length > 0) {
      const nowMs = this.#clock.now();
      if (this.#window.count(nowMs) >= this.#window.limit()) break;
      const ticket = this.#waiting.shift();
      if (!ticket) break;
      this.#leave(ticket, 'released');
      this.#releasing = ticket;
      try {
        this.#call(ticket, ticket.request.onRelease);
      } finally {
        this.#releasing = undefined;
      }
      if (ticket.requeued) {
        // Back at the head with its deadline; wait for the next free slot rather than spin.
        ticket.requeued = false;
        ticket.state = 'waiting';
        ticket.leftAtMs = undefined;
        const remainingMs = ticket.enqueuedAtMs + ticket.maxWaitMs - this.#clock.now();
        ticket.timer = this.#clock.setTimeout(() => this.#timeout(ticket), remainingMs);
        this.#waiting.unshift(ticket);
        break;
      }
    }
    this.#schedule();
  }

  /** Sets the release timer for when the next slot frees (at once when there is room already). */
  #schedule(): void {
    if (this.#waiting.length === 0 || this.#releasing !== undefined) {
      if (this.#waiting.length === 0) {
        this.#clock.clearTimeout(this.#releaseTimer);
        this.#releaseTimer = undefined;
      }
      return;
    }
    if (this.#releaseTimer !== undefined) return;
    const nowMs = this.#clock.now();
    const full = this.#window.count(nowMs) >= this.#window.limit();
    const atMs = full ? (this.#window.nextExpiryMs(nowMs) ?? nowMs) : nowMs;
    this.#releaseTimer = this.#clock.setTimeout(() => this.#drain(), atMs - nowMs);
  }

  #leave(ticket: Ticket, state: Exclude<QueueTicketState, 'waiting'>): void {
    ticket.state = state;
    ticket.leftAtMs = this.#clock.now();
    this.#clock.clearTimeout(ticket.timer);
    ticket.timer = undefined;
    this.#emit(state, ticket);
  }

  #emit(state: CpsQueueEvent['state'], ticket: Ticket): void {
    this.#events?.emit('cpsQueue', {
      state,
      callKey: ticket.callKey,
      waitedMs: ticket.waitedMs,
      maxWaitMs: ticket.maxWaitMs,
      queueLength: this.#waiting.length,
      wallTimeMs: this.#clock.wallNow(),
    });
  }
}
