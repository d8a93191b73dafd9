// One TCP or TLS connection carrying SIP: frames what arrives (RFC 3261 §18.3), answers and sends RFC 5626
// keep-alives, and closes itself when idle, when a message never completes, or when framing fails. It owns its
// socket and its timers; the transport layer owns the connection.

import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../common/clock.js';
import { describeError } from '../../common/errors.js';
import type { SipTrace } from '../trace/sip-trace.js';
import { traceSample } from '../trace/trace-records.js';
import { StreamFramer, type StreamFramerOutput, type StreamFramingLimits } from './stream-framer.js';
import { SipTransportError } from './transport-errors.js';
import type { ConnectionCloseReason, ConnectionInfo } from './transport-types.js';

/** Timing of one connection. A value of 0 turns that timer off. */
export interface StreamConnectionTimers {
  /** Close after this long without a message or keep-alive in either direction. */
  readonly idleTimeoutMs: number;
  /** Close when a message has been arriving for this long without completing (slow senders, slow-loris). */
  readonly incompleteMessageTimeoutMs: number;
  /** Send a CRLFCRLF ping this often (RFC 5626 §4.4.1); 0 sends none. */
  readonly keepAliveIntervalMs: number;
  /** Close when no pong follows a ping within this time (RFC 5626 §4.4.1 says 10 s). */
  readonly keepAlivePongTimeoutMs: number;
}

export interface StreamConnectionHooks {
  readonly onMessage: (bytes: Buffer, connection: StreamConnection) => void;
  readonly onClosed: (connection: StreamConnection, reason: ConnectionCloseReason) => void;
}

const PING = Buffer.from('\r\n\r\n', 'latin1');
const PONG = Buffer.from('\r\n', 'latin1');

export class StreamConnection {
  readonly info: ConnectionInfo;
  readonly #socket: Socket;
  readonly #clock: Clock;
  readonly #trace: SipTrace;
  readonly #timers: StreamConnectionTimers;
  readonly #hooks: StreamConnectionHooks;
  readonly #framer: StreamFramer;
  #closed = false;
  #lastActivityMs: number;
  #idleTimer: TimerHandle | undefined;
  #incompleteTimer: TimerHandle | undefined;
  #keepAliveTimer: TimerHandle | undefined;
  #pongTimer: TimerHandle | undefined;
  /** Set while framed messages wait for the next turn (reading is paused meanwhile). */
  #turnTimer: TimerHandle | undefined;

  constructor(
    socket: Socket,
    info: ConnectionInfo,
    options: {
      clock: Clock;
      trace: SipTrace;
      timers: StreamConnectionTimers;
      limits: Partial<StreamFramingLimits>;
      hooks: StreamConnectionHooks;
    },
  ) {
    this.#socket = socket;
    this.info = info;
    this.#clock = options.clock;
    this.#trace = options.trace;
    this.#timers = options.timers;
    this.#hooks = options.hooks;
    this.#framer = new StreamFramer(options.limits);
    this.#lastActivityMs = this.#clock.now();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#guard(() => this.#onData(chunk)));
    socket.on('error', (error) => this.close({ code: 'socket-error', detail: describeError(error) }));
    socket.on('close', () => this.close({ code: 'remote-closed', detail: 'the peer closed the connection' }));
    this.#armIdleTimer(this.#timers.idleTimeoutMs);
    this.#scheduleKeepAlive();
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Writes one message; resolves once the socket has taken it. */
  send(bytes: Uint8Array): Promise<void> {
    if (this.#closed || this.#socket.destroyed) {
      return Promise.reject(
        new SipTransportError(
          'SIP_CONNECTION_NOT_FOUND',
          `Connection ${this.info.id} is closed; send to the peer's address instead (RFC 3261 §18.2.2).`,
        ),
      );
    }
    this.#lastActivityMs = this.#clock.now();
    return new Promise((resolve, reject) => {
      this.#socket.write(bytes, (error) => {
        if (error) {
          reject(
            new SipTransportError('SIP_SEND_FAILED', `Writing to connection ${this.info.id} failed.`, {
              cause: error,
            }),
          );
        } else resolve();
      });
    });
  }

  /** Closes the connection once, releasing its socket and timers; later calls do nothing. */
  close(reason: ConnectionCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    const timers = [
      this.#idleTimer,
      this.#incompleteTimer,
      this.#keepAliveTimer,
      this.#pongTimer,
      this.#turnTimer,
    ];
    for (const timer of timers) {
      this.#clock.clearTimeout(timer);
    }
    this.#socket.destroy();
    this.#hooks.onClosed(this, reason);
  }

  /** Socket callbacks must never throw: an unexpected error costs this connection, not the process. */
  #guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.close({ code: 'socket-error', detail: `internal error: ${describeError(error)}` });
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    this.#handle(this.#framer.push(chunk), chunk);
  }

  #handle(outputs: readonly StreamFramerOutput[], chunk?: Buffer): void {
    for (const output of outputs) {
      switch (output.kind) {
        case 'message':
          this.#lastActivityMs = this.#clock.now();
          this.#hooks.onMessage(output.bytes, this);
          break;
        case 'ping':
          this.#lastActivityMs = this.#clock.now();
          this.#publishKeepAlive('ping-received');
          // RFC 5626 §3.5.1: a ping is answered with a pong (a single CRLF).
          this.#socket.write(PONG);
          this.#publishKeepAlive('pong-sent');
          break;
        case 'pong':
          this.#lastActivityMs = this.#clock.now();
          if (this.#pongTimer !== undefined) {
            this.#clock.clearTimeout(this.#pongTimer);
            this.#pongTimer = undefined;
            this.#publishKeepAlive('pong-received');
            this.#scheduleKeepAlive();
          }
          break;
        case 'error':
          this.#publishDrop('framing-error', output.failure.detail, chunk);
          this.close({ code: 'framing-error', detail: `${output.failure.code}: ${output.failure.detail}` });
          return;
      }
      if (this.#closed) return;
    }
    this.#watchIncompleteMessage();
    this.#takeTurns();
  }

  /**
   * When one read carried more messages than a turn may deliver, pauses reading and delivers the rest on later
   * turns of the event loop, so that other connections are served in between (and TCP flow control slows the
   * peer down).
   */
  #takeTurns(): void {
    if (!this.#framer.hasBacklog) {
      if (this.#socket.isPaused()) this.#socket.resume();
      return;
    }
    this.#socket.pause();
    this.#turnTimer = this.#clock.setTimeout(() => {
      this.#turnTimer = undefined;
      this.#guard(() => this.#handle(this.#framer.pull()));
    }, 0);
  }

  /**
   * Starts the incomplete-message timer when a message begins and stops it when none is pending. More bytes do
   * not restart it: a peer sending one byte a second must not hold the connection forever.
   */
  #watchIncompleteMessage(): void {
    if (!this.#framer.hasPartialMessage) {
      this.#clock.clearTimeout(this.#incompleteTimer);
      this.#incompleteTimer = undefined;
      return;
    }
    if (this.#incompleteTimer !== undefined || this.#timers.incompleteMessageTimeoutMs <= 0) return;
    this.#incompleteTimer = this.#clock.setTimeout(
      () => {
        this.#incompleteTimer = undefined;
        const detail = `a message stayed incomplete for ${this.#timers.incompleteMessageTimeoutMs} ms (${this.#framer.bufferedBytes} bytes received)`;
        this.#publishDrop('incomplete-message-timeout', detail);
        this.close({ code: 'incomplete-message-timeout', detail });
      },
      this.#timers.incompleteMessageTimeoutMs,
      { unref: true },
    );
  }

  /**
   * One timer per connection rather than one per message: on expiry it checks the last activity and re-arms for
   * the remainder, so busy connections cost no timer churn.
   */
  #armIdleTimer(delayMs: number): void {
    if (this.#timers.idleTimeoutMs <= 0) return;
    this.#idleTimer = this.#clock.setTimeout(
      () => {
        const idleMs = this.#clock.now() - this.#lastActivityMs;
        if (idleMs >= this.#timers.idleTimeoutMs) {
          this.close({ code: 'idle-timeout', detail: `no traffic for ${this.#timers.idleTimeoutMs} ms` });
        } else {
          this.#armIdleTimer(this.#timers.idleTimeoutMs - idleMs);
        }
      },
      delayMs,
      { unref: true },
    );
  }

  #scheduleKeepAlive(): void {
    if (this.#timers.keepAliveIntervalMs <= 0 || this.#closed) return;
    this.#keepAliveTimer = this.#clock.setTimeout(
      () => this.#guard(() => this.#sendPing()),
      this.#timers.keepAliveIntervalMs,
      { unref: true },
    );
  }

  #sendPing(): void {
    this.#keepAliveTimer = undefined;
    this.#socket.write(PING);
    this.#publishKeepAlive('ping-sent');
    this.#pongTimer = this.#clock.setTimeout(
      () => {
        this.#pongTimer = undefined;
        this.#publishKeepAlive('pong-missing');
        this.close({
          code: 'keep-alive-timeout',
          detail: `no pong within ${this.#timers.keepAlivePongTimeoutMs} ms of a keep-alive ping (RFC 5626 §4.4.1)`,
        });
      },
      this.#timers.keepAlivePongTimeoutMs,
      { unref: true },
    );
  }

  #publishKeepAlive(
    event: 'ping-received' | 'pong-sent' | 'ping-sent' | 'pong-received' | 'pong-missing',
  ): void {
    if (!this.#trace.active) return;
    const { transport, local, remote, id } = this.info;
    this.#trace.publish({ kind: 'keep-alive', event, transport, local, remote, connectionId: id });
  }

  #publishDrop(reason: 'framing-error' | 'incomplete-message-timeout', detail: string, bytes?: Buffer): void {
    if (!this.#trace.active) return;
    const { transport, local, remote, id } = this.info;
    this.#trace.publish({
      kind: 'drop',
      direction: 'received',
      reason,
      detail,
      transport,
      local,
      remote,
      connectionId: id,
      ...traceSample(bytes),
    });
  }
}
