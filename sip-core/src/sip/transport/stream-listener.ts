// A bound TCP or TLS server socket. It only accepts: every accepted socket goes to the layer, which decides
// whether to keep it (connection limit) and wraps it in a StreamConnection.

import net from 'node:net';
import tls from 'node:tls';
import { SipTransportError } from './transport-errors.js';
import type { SipStreamProtocol, SocketAddress } from './transport-types.js';

export interface StreamListenerHooks {
  /** A connection was accepted (for TLS: after a successful handshake). */
  readonly onSocket: (socket: net.Socket, listener: StreamListener) => void;
  /** A TLS handshake failed (wrong version, bad client certificate, not TLS at all). */
  readonly onHandshakeError: (
    error: Error,
    remote: SocketAddress | undefined,
    listener: StreamListener,
  ) => void;
}

export class StreamListener {
  readonly id: string;
  readonly transport: SipStreamProtocol;
  readonly #server: net.Server;
  #local: SocketAddress = { address: '', port: 0 };

  private constructor(
    id: string,
    transport: SipStreamProtocol,
    options: { tls?: tls.TlsOptions; handshakeTimeoutMs: number; hooks: StreamListenerHooks },
  ) {
    this.id = id;
    this.transport = transport;
    const { hooks } = options;
    // Accept callbacks run outside any caller's try/catch: a throw here would end the process.
    const onSocket = (socket: net.Socket): void => {
      try {
        hooks.onSocket(socket, this);
      } catch {
        socket.destroy();
      }
    };
    if (transport === 'tls') {
      const server = tls.createServer(
        { ...options.tls, handshakeTimeout: options.handshakeTimeoutMs },
        onSocket,
      );
      server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
        const { remoteAddress, remotePort } = socket;
        const remote =
          remoteAddress !== undefined && remotePort !== undefined
            ? { address: remoteAddress, port: remotePort }
            : undefined;
        socket.destroy();
        try {
          hooks.onHandshakeError(error, remote, this);
        } catch {
          // Reporting a failed handshake must not fail the listener.
        }
      });
      this.#server = server;
    } else {
      this.#server = net.createServer(onSocket);
    }
  }

  /** The bound address and the actual port. */
  get local(): SocketAddress {
    return this.#local;
  }

  static async listen(
    id: string,
    transport: SipStreamProtocol,
    host: string,
    port: number,
    options: { tls?: tls.TlsOptions; handshakeTimeoutMs: number; hooks: StreamListenerHooks },
  ): Promise<StreamListener> {
    const listener = new StreamListener(id, transport, options);
    await listener.#bind(host, port);
    return listener;
  }

  async #bind(host: string, port: number): Promise<void> {
    const server = this.#server;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(
          new SipTransportError(
            'SIP_LISTEN_FAILED',
            `Cannot listen on ${this.transport}:${host}:${port}: ${error.message}.`,
            { cause: error },
          ),
        );
      };
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // Errors after binding (e.g. EMFILE on accept) must not crash the process; the server keeps accepting.
    server.on('error', () => undefined);
    const bound = server.address() as net.AddressInfo;
    this.#local = { address: bound.address, port: bound.port };
  }

  /**
   * TLS only: reports the key material of every connection accepted from now on (Node's 'keylog', one NSS key log
   * line each). Turning it on costs OpenSSL a callback per handshake, so it stays off until diagnostics asks.
   */
  enableKeyLog(onLine: (line: Buffer) => void): void {
    if (this.#server instanceof tls.Server) this.#server.on('keylog', (line: Buffer) => onLine(line));
  }

  /** Stops accepting; connections already accepted belong to the layer and are closed by it. */
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
