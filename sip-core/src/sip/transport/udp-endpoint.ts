// One bound UDP socket: it receives datagrams for the layer and sends from its own address, so that a response
// can leave from the address its request arrived at (symmetric signalling, RFC 3581 §4).
//
// Sends leave in bursts, once per turn of the event loop (docs/adr/0161): `send` queues the datagram, and at the
// end of the turn (`atEndOfTurn`, after the turn's received datagrams were handled) the whole queue goes to the
// kernel back to back. A datagram to a peer whose process sleeps costs the sender the peer's wake-up (~20 µs of
// kernel time on this kind of VM, against ~5 µs for one more datagram while it is awake); sent one at a time
// between the turn's other work, every response paid it. Order is kept, each send still settles on its own, and
// nothing waits on a clock.

import dgram from 'node:dgram';
import { atEndOfTurn } from '../../common/clock.js';
import { toError } from '../../common/errors.js';
import { lookupLiteral } from '../../common/lookup-literal.js';
import { SipTransportError } from './transport-errors.js';
import type { SocketAddress } from './transport-types.js';

export interface UdpEndpointHooks {
  /** A datagram arrived (any content; the layer decides what to keep). */
  readonly onDatagram: (bytes: Buffer, remote: SocketAddress, endpoint: UdpEndpoint) => void;
  /** The socket reported an error after it was bound. */
  readonly onError: (error: Error, endpoint: UdpEndpoint) => void;
}

export class UdpEndpoint {
  readonly id: string;
  readonly local: SocketAddress;
  readonly family: 4 | 6;
  readonly #socket: dgram.Socket;
  #closed = false;
  /** Datagrams handed to `send` this turn, in order. */
  #queue: PendingSend[] = [];
  #flushScheduled = false;
  /** One bound function for every flush (not a closure per send). */
  readonly #flushBound = (): void => this.#flush();
  /**
   * Where the last datagram came from, handed out again while datagrams keep coming from there. A PBX sends all of
   * a trunk's calls from one address and port, and dgram makes a new address string for every datagram: the trace
   * records, receive contexts and transactions that keep a datagram's source for the length of a call (and its
   * transactions' 64·T1) then share one object and one string instead of a copy each (docs/adr/0178).
   */
  #lastRemote: SocketAddress | undefined;

  private constructor(id: string, socket: dgram.Socket, family: 4 | 6) {
    this.id = id;
    this.#socket = socket;
    this.family = family;
    const bound = socket.address();
    this.local = { address: bound.address, port: bound.port };
  }

  /** Binds `host:port` (port 0: any free port) and starts receiving. */
  static async bind(
    id: string,
    host: string,
    port: number,
    family: 4 | 6,
    hooks: UdpEndpointHooks,
    bufferBytes?: number,
  ): Promise<UdpEndpoint> {
    const socket = dgram.createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      // IP literals (nearly every destination) are sent inside `send`, not a tick later (common/lookup-literal.ts).
      lookup: lookupLiteral,
      // Bursts and event-loop pauses (GC) are absorbed by the kernel buffer; the OS default (~208 KiB) overflows
      // at a few thousand calls per second. The kernel caps the value at net.core.rmem_max / wmem_max.
      ...(bufferBytes !== undefined ? { recvBufferSize: bufferBytes, sendBufferSize: bufferBytes } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        socket.close();
        reject(
          new SipTransportError(
            'SIP_LISTEN_FAILED',
            `Cannot listen on udp:${host}:${port}: ${error.message}.`,
            {
              cause: error,
            },
          ),
        );
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    const endpoint = new UdpEndpoint(id, socket, family);
    socket.on('message', (bytes, rinfo) => {
      try {
        hooks.onDatagram(bytes, endpoint.#remoteOf(rinfo), endpoint);
      } catch (error) {
        hooks.onError(toError(error), endpoint);
      }
    });
    socket.on('error', (error) => hooks.onError(error, endpoint));
    return endpoint;
  }

  #remoteOf(rinfo: dgram.RemoteInfo): SocketAddress {
    const last = this.#lastRemote;
    if (last !== undefined && last.port === rinfo.port && last.address === rinfo.address) return last;
    return (this.#lastRemote = { address: rinfo.address, port: rinfo.port });
  }

  /**
   * Sends one datagram at the end of this turn of the event loop, after any sent before it; resolves when the
   * kernel has taken it, rejects with `SIP_SEND_FAILED` when it refused it.
   */
  send(bytes: Uint8Array, remote: SocketAddress): Promise<void> {
    return new Promise((resolve, reject) =>
      this.post(bytes, remote, (error) => (error === undefined ? resolve() : reject(error))),
    );
  }

  /**
   * `send` without a promise: `settled` runs once, never before `post` has returned, with `undefined` when the
   * kernel took the datagram or the `SipTransportError` that kept it. The path of a transaction's messages,
   * where a promise and its reactions per datagram were most of what sending allocated (docs/adr/0171).
   */
  post(bytes: Uint8Array, remote: SocketAddress, settled: UdpSendSettled): void {
    if (this.#closed) {
      const closed = new SipTransportError('SIP_TRANSPORT_CLOSED', `UDP socket ${this.id} is closed.`);
      queueMicrotask(() => settled(closed));
      return;
    }
    this.#queue.push({ bytes, remote, settled });
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    atEndOfTurn(this.#flushBound);
  }

  /** Hands every queued datagram to the kernel, back to back. */
  #flush(): void {
    this.#flushScheduled = false;
    const queue = this.#queue;
    if (queue.length === 0) return;
    this.#queue = [];
    for (const pending of queue) this.#sendNow(pending);
  }

  #sendNow({ bytes, remote, settled }: PendingSend): void {
    try {
      this.#socket.send(bytes, remote.port, remote.address, (error) =>
        settled(error ? sendFailed(remote, error) : undefined),
      );
    } catch (error) {
      // dgram throws synchronously for a port out of range or a socket closed under it: that send fails, the
      // rest of the burst still leaves. `settled` runs once the burst's loop is done (a microtask), so that no
      // sender's callback runs in the middle of the flush.
      const failed = sendFailed(remote, toError(error));
      queueMicrotask(() => settled(failed));
    }
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    // What was handed to `send` before close still leaves (a 503 to a pending INVITE as an application stops).
    this.#flush();
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

/** How a posted datagram ended: `undefined` once the kernel took it, else why it did not leave. */
export type UdpSendSettled = (error: SipTransportError | undefined) => void;

interface PendingSend {
  readonly bytes: Uint8Array;
  readonly remote: SocketAddress;
  readonly settled: UdpSendSettled;
}

function sendFailed(remote: SocketAddress, error: Error): SipTransportError {
  return new SipTransportError(
    'SIP_SEND_FAILED',
    `Sending a datagram to ${remote.address}:${remote.port} failed: ${error.message}.`,
    { cause: error },
  );
}
