// One bound UDP socket: it receives datagrams for the layer and sends from its own address, so that a response
// can leave from the address its request arrived at (symmetric signalling, RFC 3581 §4).

import dgram from 'node:dgram';
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
        hooks.onDatagram(bytes, { address: rinfo.address, port: rinfo.port }, endpoint);
      } catch (error) {
        hooks.onError(error instanceof Error ? error : new Error(String(error)), endpoint);
      }
    });
    socket.on('error', (error) => hooks.onError(error, endpoint));
    return endpoint;
  }

  /** Sends one datagram; resolves when the kernel has taken it. */
  send(bytes: Uint8Array, remote: SocketAddress): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new SipTransportError('SIP_TRANSPORT_CLOSED', `UDP socket ${this.id} is closed.`),
      );
    }
    return new Promise((resolve, reject) => {
      this.#socket.send(bytes, remote.port, remote.address, (error) => {
        if (error) {
          reject(
            new SipTransportError(
              'SIP_SEND_FAILED',
              `Sending a datagram to ${remote.address}:${remote.port} failed: ${error.message}.`,
              { cause: error },
            ),
          );
        } else resolve();
      });
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
