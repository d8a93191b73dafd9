// The transport layer of RFC 3261 §18: it owns every listener and connection, sends bytes to a destination or
// over a named connection, and delivers each received message with where it came from. It works on bytes and
// knows nothing of SIP syntax beyond Content-Length framing; the message model and the transaction layer sit on
// top and add Via `received`/`rport` (RFC 3581) and response routing (RFC 3261 §18.2.2) from the context given
// here.

import net from 'node:net';
import tls from 'node:tls';
import { systemClock, type Clock } from '../../common/clock.js';
import { describeError, toError } from '../../common/errors.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import type { Disposable } from '../../common/disposable.js';
import { SipTrace } from '../trace/sip-trace.js';
import { traceSample, type TraceDropRecord } from '../trace/trace-records.js';
import {
  numericAddress,
  systemHostResolver,
  type HostResolver,
  type ResolvedAddress,
} from './host-resolver.js';
import { StreamConnection, type StreamConnectionTimers } from './stream-connection.js';
import type { StreamFramingLimits } from './stream-framer.js';
import { StreamListener } from './stream-listener.js';
import {
  createClientSecureContext,
  describePeerCertificate,
  serverNameFor,
  serverTlsOptions,
  toVerificationError,
  type TlsClientOptions,
  type TlsServerOptions,
} from './tls-support.js';
import { describeTarget, SipTransportError, SipUdpMessageTooLargeError } from './transport-errors.js';
import type {
  ConnectionCloseReason,
  ConnectionInfo,
  ListenerInfo,
  ReceivedMessageContext,
  SendResult,
  SipDestination,
  SipStreamProtocol,
  SipTransportProtocol,
  SocketAddress,
} from './transport-types.js';
import { UdpEndpoint } from './udp-endpoint.js';

/** RFC 3261 §18.1.1: without a known path MTU, requests above 1300 bytes need a congestion-controlled transport. */
export const DEFAULT_UDP_MAX_MESSAGE_BYTES = 1300;

/** Defaults for the layer's timers; see the README for the reasoning behind each. */
export const DEFAULT_TRANSPORT_TIMERS = {
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  /** 64 × T1: no transaction can use a message that took longer than Timer B/F to arrive. */
  incompleteMessageTimeoutMs: 32_000,
  /** RFC 5626 §4.4.1: a pong must follow a ping within 10 seconds. */
  keepAlivePongTimeoutMs: 10_000,
} as const;

export const DEFAULT_MAX_CONNECTIONS = 1024;

export interface SipTransportLayerOptions {
  /** Timers run on this clock (a `ManualClock` in tests). Default: the system clock. */
  readonly clock?: Clock;
  /** Where sent/received messages, drops, connection and keep-alive events are published. Default: a new one. */
  readonly trace?: SipTrace;
  /** Resolves host names in destinations. Default: the system resolver. */
  readonly resolver?: HostResolver;
  /** Stream framing limits (defaults: `DEFAULT_STREAM_FRAMING_LIMITS`). */
  readonly framing?: Partial<StreamFramingLimits>;
  /** Largest message sent over UDP (default 1300, RFC 3261 §18.1.1); larger ones are refused. */
  readonly udpMaxMessageBytes?: number;
  /**
   * Receive and send buffer of each UDP socket (SO_RCVBUF/SO_SNDBUF), capped by the kernel's rmem_max/wmem_max.
   * Default: the OS default (about 208 KiB on Linux), which a busy server (thousands of calls per second) overflows
   * during a GC pause; 4 MiB is what SIPp load tests use.
   */
  readonly udpBufferBytes?: number;
  readonly connectTimeoutMs?: number;
  /** Close connections without traffic for this long; 0 keeps them. */
  readonly idleTimeoutMs?: number;
  /** Close a connection whose current message has not completed in this time; 0 turns it off. */
  readonly incompleteMessageTimeoutMs?: number;
  /** The most open (and opening) stream connections; further ones are refused. */
  readonly maxConnections?: number;
  /** RFC 5626 keep-alive pings on connections this layer opens (outbound). Default: none. */
  readonly keepAlive?: { readonly intervalMs: number; readonly pongTimeoutMs?: number };
  /** How TLS connections this layer opens verify servers, and its client certificate. */
  readonly tls?: TlsClientOptions;
}

export interface ListenOptions {
  readonly transport: SipTransportProtocol;
  /** Default 127.0.0.1: nothing is exposed beyond this machine unless asked. */
  readonly host?: string;
  /** Default 0: any free port; the actual one is in the result. */
  readonly port?: number;
  /** Required for TLS: the server certificate and key, and the client-certificate policy. */
  readonly tls?: TlsServerOptions;
}

export interface SendOptions {
  /**
   * Send over UDP even above `udpMaxMessageBytes`. RFC 3261 §18.1.1 restricts requests; a response must return
   * over the transport its request came in on (§18.2.2), so the response path sets this.
   */
  readonly allowLargeUdp?: boolean;
  /** Marks the message record in the trace as a retransmission (the transaction layer sets it). */
  readonly retransmission?: boolean;
}

export interface SipTransportLayerEvents {
  /** A complete message arrived: the exact bytes and where they came from. */
  message: (bytes: Buffer, context: ReceivedMessageContext) => void;
  connectionOpened: (connection: ConnectionInfo) => void;
  connectionClosed: (connection: ConnectionInfo, reason: ConnectionCloseReason) => void;
  /**
   * One line of TLS key material in the NSS key log format (`SSLKEYLOGFILE`), from any TLS connection of this
   * layer, so that a capture of the encrypted traffic can be decrypted in Wireshark. Key logging starts with the
   * first listener (it is off until then) and these lines are secrets: never log or display them.
   */
  tlsKeyLog: (line: Buffer) => void;
}

interface ResolvedTarget {
  readonly transport: SipTransportProtocol;
  readonly remote: SocketAddress;
  readonly family: 4 | 6;
  readonly serverName?: string;
}

/** Stands for an address not known (a drop before any socket was chosen). */
const UNKNOWN_ADDRESS: SocketAddress = { address: '', port: 0 };

/**
 * Owns UDP sockets, TCP/TLS listeners and connections. Every socket and timer it creates is released by
 * `close()`/`dispose()`; errors from sockets and bad input never leave its handlers.
 */
export class SipTransportLayer implements Disposable {
  readonly trace: SipTrace;
  readonly #clock: Clock;
  readonly #resolver: HostResolver;
  readonly #framing: Partial<StreamFramingLimits>;
  readonly #udpMaxMessageBytes: number;
  readonly #udpBufferBytes: number | undefined;
  readonly #connectTimeoutMs: number;
  readonly #maxConnections: number;
  readonly #inboundTimers: StreamConnectionTimers;
  readonly #outboundTimers: StreamConnectionTimers;
  readonly #tlsClient: TlsClientOptions;
  #clientContext: tls.SecureContext | undefined;
  readonly #events = new TypedEmitter<SipTransportLayerEvents>();
  readonly #udp: UdpEndpoint[] = [];
  readonly #listeners: StreamListener[] = [];
  readonly #connections = new Map<string, StreamConnection>();
  /** Open connections by `transport|address|port` of the remote end, and by aliases (RFC 5923). */
  readonly #byRemote = new Map<string, StreamConnection>();
  /** Connects in progress, shared by concurrent sends to the same destination. */
  readonly #connecting = new Map<string, Promise<StreamConnection>>();
  readonly #pendingSockets = new Set<net.Socket>();
  #nextId = 1;
  #closed = false;
  /** UDP sends between `send()` and the kernel taking the datagram; `close()` lets them leave first. */
  #udpSendsInFlight = 0;
  #udpDrained: Array<() => void> = [];
  /** Set by the first 'tlsKeyLog' listener: from then on every TLS listener and new connection reports keys. */
  #keyLogEnabled = false;

  constructor(options: SipTransportLayerOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.trace = options.trace ?? new SipTrace({ clock: this.#clock });
    this.#resolver = options.resolver ?? systemHostResolver;
    this.#framing = options.framing ?? {};
    this.#udpMaxMessageBytes = options.udpMaxMessageBytes ?? DEFAULT_UDP_MAX_MESSAGE_BYTES;
    this.#udpBufferBytes = options.udpBufferBytes;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_TRANSPORT_TIMERS.connectTimeoutMs;
    this.#maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.#inboundTimers = {
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_TRANSPORT_TIMERS.idleTimeoutMs,
      incompleteMessageTimeoutMs:
        options.incompleteMessageTimeoutMs ?? DEFAULT_TRANSPORT_TIMERS.incompleteMessageTimeoutMs,
      keepAliveIntervalMs: 0,
      keepAlivePongTimeoutMs: DEFAULT_TRANSPORT_TIMERS.keepAlivePongTimeoutMs,
    };
    this.#outboundTimers = {
      ...this.#inboundTimers,
      keepAliveIntervalMs: options.keepAlive?.intervalMs ?? 0,
      keepAlivePongTimeoutMs:
        options.keepAlive?.pongTimeoutMs ?? DEFAULT_TRANSPORT_TIMERS.keepAlivePongTimeoutMs,
    };
    this.#tlsClient = options.tls ?? {};
    // Fail fast on a bad CA or client certificate rather than at the first TLS send.
    if (options.tls) this.#clientContext = createClientSecureContext(options.tls);
  }

  on<K extends keyof SipTransportLayerEvents>(event: K, listener: SipTransportLayerEvents[K]): Disposable {
    if (event === 'tlsKeyLog' && !this.#keyLogEnabled) {
      this.#keyLogEnabled = true;
      for (const streamListener of this.#listeners) streamListener.enableKeyLog(this.#emitKeyLog);
    }
    return this.#events.on(event, listener);
  }

  readonly #emitKeyLog = (line: Buffer): void => {
    this.#events.emit('tlsKeyLog', line);
  };

  /** Binds a UDP socket or a TCP/TLS listener. */
  async listen(options: ListenOptions): Promise<ListenerInfo> {
    this.#assertOpen();
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 0;
    const family = numericAddress(host)?.family;
    if (family === undefined) {
      throw new SipTransportError(
        'SIP_INVALID_DESTINATION',
        `Listen on a numeric address (got '${host}'), e.g. 127.0.0.1, 0.0.0.0 or ::1.`,
      );
    }
    const id = `${options.transport}-listener-${this.#nextId++}`;
    if (options.transport === 'udp') {
      const endpoint = await UdpEndpoint.bind(
        id,
        host,
        port,
        family,
        {
          onDatagram: (bytes, remote, from) => this.#onDatagram(bytes, remote, from),
          onError: () => undefined,
        },
        this.#udpBufferBytes,
      );
      if (this.#closed) {
        await endpoint.close();
        this.#assertOpen();
      }
      this.#udp.push(endpoint);
      return { id, transport: 'udp', local: endpoint.local };
    }
    if (options.transport === 'tls' && options.tls === undefined) {
      throw new SipTransportError(
        'SIP_TLS_CONFIG',
        'A TLS listener needs a certificate and key (listen options `tls`).',
      );
    }
    const tlsOptions = options.tls ? serverTlsOptions(options.tls) : undefined;
    const listener = await StreamListener.listen(id, options.transport, host, port, {
      ...(tlsOptions ? { tls: tlsOptions } : {}),
      handshakeTimeoutMs: this.#connectTimeoutMs,
      hooks: {
        onSocket: (socket, from) => this.#onAccepted(socket, from),
        onHandshakeError: (error, remote, from) => this.#onHandshakeError(error, remote, from),
      },
    });
    if (this.#closed) {
      await listener.close();
      this.#assertOpen();
    }
    if (this.#keyLogEnabled) listener.enableKeyLog(this.#emitKeyLog);
    this.#listeners.push(listener);
    return { id, transport: options.transport, local: listener.local };
  }

  /**
   * Sends one message. With a connection id it goes over that connection (a response over the connection its
   * request came on); with a destination over UDP from a local socket, or over TCP/TLS reusing an open
   * connection to that remote address (also one the peer opened) or opening one.
   */
  send(bytes: Uint8Array, target: SipDestination | string, options: SendOptions = {}): Promise<SendResult> {
    // UDP to an IP literal, nearly every message a trunk sends, is handed to its socket now, without the awaits of
    // the general path: those were a handful of promises and microtasks per message (docs/adr/0162).
    if (typeof target !== 'string' && target.transport === 'udp' && !this.#closed) {
      const numeric = numericAddress(target.host);
      if (numeric !== undefined) return this.#sendUdpNow(bytes, target, numeric, options);
    }
    return this.#send(bytes, target, options);
  }

  async #send(bytes: Uint8Array, target: SipDestination | string, options: SendOptions): Promise<SendResult> {
    this.#assertOpen();
    if (typeof target === 'string') {
      const connection = this.#connections.get(target);
      if (!connection) {
        throw new SipTransportError(
          'SIP_CONNECTION_NOT_FOUND',
          `Connection ${target} is closed or unknown; send to the peer's address instead (RFC 3261 §18.2.2).`,
        );
      }
      return this.#sendOnConnection(connection, bytes, options.retransmission);
    }
    if (target.transport === 'udp') {
      this.#udpSendsInFlight++;
      try {
        return await this.#sendUdp(bytes, target, options);
      } finally {
        this.#udpSendSettled();
      }
    }
    // The common case, a numeric destination with an open connection, takes no extra turn of the event loop.
    const numeric = numericAddress(target.host);
    const open = numeric
      ? this.#reusableConnection(target.transport, { address: numeric.address, port: target.port }, target)
      : undefined;
    return this.#sendOnConnection(open ?? (await this.#connect(target)), bytes, options.retransmission);
  }

  async #sendUdp(bytes: Uint8Array, target: SipDestination, options: SendOptions): Promise<SendResult> {
    const resolved = await this.#resolve(target);
    return this.#sendUdpResolved(bytes, target, resolved, options);
  }

  /**
   * `send` for a sender that needs to hear only of failure — a transaction, whose messages are nearly all a trunk
   * sends: `onFailure` runs once if the message could not be sent, never before `post` has returned. UDP to an IP
   * literal goes to its socket without a promise (docs/adr/0171); everything else takes `send`'s path.
   */
  post(
    bytes: Uint8Array,
    target: SipDestination | string,
    options: SendOptions,
    onFailure: (error: unknown) => void,
  ): void {
    if (typeof target !== 'string' && target.transport === 'udp' && !this.#closed) {
      const numeric = numericAddress(target.host);
      if (numeric !== undefined) return this.#postUdpNow(bytes, target, numeric, options, onFailure);
    }
    this.#send(bytes, target, options).then(undefined, onFailure);
  }

  /** `send` to a UDP destination whose host is an IP literal: no turn of the event loop before the socket. */
  #sendUdpNow(
    bytes: Uint8Array,
    target: SipDestination,
    address: ResolvedAddress,
    options: SendOptions,
  ): Promise<SendResult> {
    return new Promise((resolve, reject) =>
      this.#postUdpNow(bytes, target, address, options, reject, resolve),
    );
  }

  /**
   * To a UDP destination whose host is an IP literal, with callbacks: `onFailure` once if the message did not
   * leave, else `onSent` (when given) with where it went; neither before this returns. One closure per message,
   * where a chain of promises cost `post` about seven (docs/adr/0171).
   */
  #postUdpNow(
    bytes: Uint8Array,
    target: SipDestination,
    address: ResolvedAddress,
    options: SendOptions,
    onFailure: (error: unknown) => void,
    onSent?: (result: SendResult) => void,
  ): void {
    this.#udpSendsInFlight++;
    try {
      const resolved = this.#resolved(target, address);
      const endpoint = this.#publishUdp(bytes, target, resolved, options);
      endpoint.post(bytes, resolved.remote, (error) => {
        this.#udpSendSettled();
        if (error !== undefined) onFailure(error);
        else onSent?.({ transport: 'udp', local: endpoint.local, remote: resolved.remote });
      });
    } catch (error) {
      this.#udpSendSettled();
      const failure = toError(error);
      queueMicrotask(() => onFailure(failure));
    }
  }

  /** Bound once (not a closure per datagram): a UDP send has settled. */
  readonly #udpSendSettled = (): void => {
    if (--this.#udpSendsInFlight === 0) for (const drained of this.#udpDrained.splice(0)) drained();
  };

  #sendUdpResolved(
    bytes: Uint8Array,
    target: SipDestination,
    resolved: ResolvedTarget,
    options: SendOptions,
  ): Promise<SendResult> {
    const endpoint = this.#publishUdp(bytes, target, resolved, options);
    const result: SendResult = { transport: 'udp', local: endpoint.local, remote: resolved.remote };
    return endpoint.send(bytes, resolved.remote).then(() => result);
  }

  /**
   * The socket a UDP message leaves from, once the message has passed the size check and been published to the
   * trace. Throws `SipUdpMessageTooLargeError` (the drop is traced).
   */
  #publishUdp(
    bytes: Uint8Array,
    target: SipDestination,
    resolved: ResolvedTarget,
    options: SendOptions,
  ): UdpEndpoint {
    const endpoint = this.#udpEndpointFor(resolved.family, target.local);
    if (bytes.length > this.#udpMaxMessageBytes && options.allowLargeUdp !== true) {
      this.#publishDrop(
        {
          direction: 'sent',
          reason: 'udp-too-large',
          transport: 'udp',
          local: endpoint.local,
          remote: resolved.remote,
          detail: `${bytes.length} bytes exceed udpMaxMessageBytes (${this.#udpMaxMessageBytes})`,
        },
        bytes,
      );
      throw new SipUdpMessageTooLargeError(bytes.length, this.#udpMaxMessageBytes);
    }
    this.trace.publishMessage(
      'sent',
      'udp',
      endpoint.local,
      resolved.remote,
      bytes,
      undefined,
      options.retransmission,
    );
    return endpoint;
  }

  /**
   * Returns an open connection to a TCP/TLS destination, reusing one when it exists, else opening one (within
   * the connect timeout). The integration layer can call it before building Via to learn the local address.
   */
  async connect(destination: SipDestination): Promise<ConnectionInfo> {
    return (await this.#connect(destination)).info;
  }

  async #connect(destination: SipDestination): Promise<StreamConnection> {
    this.#assertOpen();
    if (destination.transport === 'udp') {
      throw new SipTransportError(
        'SIP_INVALID_DESTINATION',
        'UDP has no connections; send to the destination.',
      );
    }
    const resolved = await this.#resolve(destination);
    const existing = this.#reusableConnection(destination.transport, resolved.remote, destination);
    if (existing) return existing;
    // Concurrent sends share a connect only when they would also share the connection (same TLS name).
    const key = `${remoteKey(destination.transport, resolved.remote)}|${resolved.serverName ?? ''}`;
    const inFlight = this.#connecting.get(key);
    if (inFlight) return inFlight;
    const opening = this.#openConnection(destination.transport, resolved).finally(() =>
      this.#connecting.delete(key),
    );
    this.#connecting.set(key, opening);
    return opening;
  }

  /**
   * Also reuses `connectionId` for sends to `address` (RFC 5923 connection reuse): the integration layer calls
   * this with the Via sent-by of a request that carried `;alias`, so that requests to the peer's listening
   * address flow over the connection the peer opened.
   */
  aliasConnection(connectionId: string, address: SocketAddress): void {
    const connection = this.#connections.get(connectionId);
    if (!connection) {
      throw new SipTransportError(
        'SIP_CONNECTION_NOT_FOUND',
        `Connection ${connectionId} is closed or unknown.`,
      );
    }
    this.#byRemote.set(remoteKey(connection.info.transport, address), connection);
  }

  /** The open connection with this id, if any. */
  connection(connectionId: string): ConnectionInfo | undefined {
    return this.#connections.get(connectionId)?.info;
  }

  connections(): ConnectionInfo[] {
    return [...this.#connections.values()].map((connection) => connection.info);
  }

  listeners(): ListenerInfo[] {
    return [
      ...this.#udp.map((endpoint) => ({ id: endpoint.id, transport: 'udp' as const, local: endpoint.local })),
      ...this.#listeners.map((listener) => ({
        id: listener.id,
        transport: listener.transport,
        local: listener.local,
      })),
    ];
  }

  /** Closes one connection (e.g. after a fatal transaction error); unknown ids are ignored. */
  closeConnection(connectionId: string): void {
    this.#connections.get(connectionId)?.close({ code: 'local-close', detail: 'closed by the application' });
  }

  /** Stops listening, closes every connection and socket, and waits until the listeners are released. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const socket of this.#pendingSockets) socket.destroy();
    this.#pendingSockets.clear();
    for (const connection of [...this.#connections.values()]) {
      connection.close({ code: 'local-close', detail: 'the transport layer was closed' });
    }
    // A datagram handed to send() just before close (a 503 to a pending INVITE when an application stops) is
    // still between its address resolution and the socket: let it leave before the sockets close.
    if (this.#udpSendsInFlight > 0) await new Promise<void>((resolve) => this.#udpDrained.push(resolve));
    await Promise.all([
      ...this.#listeners.map((listener) => listener.close()),
      ...this.#udp.map((endpoint) => endpoint.close()),
    ]);
    this.#listeners.length = 0;
    this.#udp.length = 0;
  }

  /** `close()` without waiting: every socket and timer is released; the listeners finish closing in background. */
  dispose(): void {
    void this.close();
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new SipTransportError('SIP_TRANSPORT_CLOSED', 'The SIP transport layer is closed.');
  }

  async #resolve(destination: SipDestination): Promise<ResolvedTarget> {
    let resolved: ResolvedAddress | undefined = numericAddress(destination.host);
    if (!resolved) {
      checkPort(destination.port);
      try {
        resolved = await this.#resolver(destination.host);
      } catch (error) {
        throw new SipTransportError(
          'SIP_RESOLVE_FAILED',
          `Cannot resolve '${destination.host}' (${describeError(error)}); check the host name or use an IP address.`,
          { cause: error },
        );
      }
    }
    return this.#resolved(destination, resolved);
  }

  /** The destination with its host's address (throws SIP_INVALID_DESTINATION for a port out of range). */
  #resolved(destination: SipDestination, address: ResolvedAddress): ResolvedTarget {
    const { transport, host, port } = destination;
    checkPort(port);
    const serverName = transport === 'tls' ? serverNameFor(host, destination.serverName) : undefined;
    return {
      transport,
      remote: { address: address.address, port },
      family: address.family,
      ...(serverName !== undefined ? { serverName } : {}),
    };
  }

  #udpEndpointFor(family: 4 | 6, local: SocketAddress | undefined): UdpEndpoint {
    const endpoint = local
      ? this.#udp.find((e) => e.local.port === local.port && e.local.address === local.address)
      : this.#udp.find((e) => e.family === family);
    if (!endpoint) {
      const wanted = local ? `at ${local.address}:${local.port}` : `for IPv${family}`;
      throw new SipTransportError(
        'SIP_NO_UDP_SOCKET',
        `No UDP socket ${wanted} to send from; call listen({ transport: 'udp' }) first.`,
      );
    }
    return endpoint;
  }

  #sendOnConnection(
    connection: StreamConnection,
    bytes: Uint8Array,
    retransmission?: boolean,
  ): Promise<SendResult> {
    const { transport, local, remote, id } = connection.info;
    this.trace.publishMessage('sent', transport, local, remote, bytes, id, retransmission);
    return connection.send(bytes).then(() => ({ transport, local, remote, connectionId: id }));
  }

  /**
   * An open connection to `remote` that may carry a message for `destination`. A TLS connection this layer opened
   * and verified for one name is not reused for another name (it may not be that server); one the peer opened is
   * reused whatever the name, because responses and in-dialog requests must flow back over it.
   */
  #reusableConnection(
    transport: SipTransportProtocol,
    remote: SocketAddress,
    destination: SipDestination,
  ): StreamConnection | undefined {
    const existing = this.#byRemote.get(remoteKey(transport, remote));
    if (!existing || existing.isClosed) return undefined;
    const serverName =
      transport === 'tls' ? serverNameFor(destination.host, destination.serverName) : undefined;
    const { direction, serverName: verifiedName } = existing.info;
    return direction === 'inbound' || serverName === undefined || verifiedName === serverName
      ? existing
      : undefined;
  }

  #openConnection(transport: SipStreamProtocol, target: ResolvedTarget): Promise<StreamConnection> {
    const label = describeTarget(transport, target.serverName ?? target.remote.address, target.remote.port);
    if (this.#connections.size + this.#pendingSockets.size >= this.#maxConnections) {
      return Promise.reject(
        new SipTransportError(
          'SIP_CONNECTION_LIMIT',
          `Cannot open ${label}: ${this.#maxConnections} connections are open already (maxConnections).`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const { address, port } = target.remote;
      let socket: net.Socket;
      if (transport === 'tls') {
        this.#clientContext ??= createClientSecureContext(this.#tlsClient);
        socket = tls.connect({
          host: address,
          port,
          // The context carries the trust store, the client certificate and the TLS 1.2 floor.
          secureContext: this.#clientContext,
          rejectUnauthorized: this.#tlsClient.rejectUnauthorized !== false,
          ...(target.serverName !== undefined ? { servername: target.serverName } : {}),
        });
        if (this.#keyLogEnabled) socket.on('keylog', this.#emitKeyLog);
      } else {
        socket = net.connect({ host: address, port });
      }
      this.#pendingSockets.add(socket);
      const settle = (): void => {
        this.#clock.clearTimeout(timer);
        this.#pendingSockets.delete(socket);
        socket.off('error', onError);
      };
      const timer = this.#clock.setTimeout(() => {
        settle();
        socket.destroy();
        reject(
          new SipTransportError(
            'SIP_CONNECT_TIMEOUT',
            `Connecting to ${label} took longer than ${this.#connectTimeoutMs} ms; check the address, port and firewall.`,
          ),
        );
      }, this.#connectTimeoutMs);
      const onError = (error: Error): void => {
        settle();
        socket.destroy();
        reject(
          toVerificationError(error, label) ??
            new SipTransportError(
              'SIP_CONNECT_FAILED',
              `Cannot connect to ${label}: ${describeError(error)}.`,
              {
                cause: error,
              },
            ),
        );
      };
      socket.once('error', onError);
      socket.once(transport === 'tls' ? 'secureConnect' : 'connect', () => {
        settle();
        if (this.#closed) {
          socket.destroy();
          reject(new SipTransportError('SIP_TRANSPORT_CLOSED', 'The SIP transport layer is closed.'));
          return;
        }
        try {
          resolve(this.#adopt(socket, transport, 'outbound', target.serverName));
        } catch (error) {
          // Socket callbacks run outside any caller's try/catch; the failure belongs to this send.
          socket.destroy();
          reject(toError(error));
        }
      });
    });
  }

  #onAccepted(socket: net.Socket, listener: StreamListener): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    if (this.#connections.size + this.#pendingSockets.size >= this.#maxConnections) {
      this.#publishDrop({
        direction: 'received',
        reason: 'connection-limit',
        transport: listener.transport,
        local: listener.local,
        remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
        detail: `refused: ${this.#maxConnections} connections are open (maxConnections)`,
      });
      socket.destroy();
      return;
    }
    const serverName = socket instanceof tls.TLSSocket && socket.servername ? socket.servername : undefined;
    this.#adopt(socket, listener.transport, 'inbound', serverName);
  }

  #onHandshakeError(error: Error, remote: SocketAddress | undefined, listener: StreamListener): void {
    this.#publishDrop({
      direction: 'received',
      reason: 'tls-handshake-failed',
      transport: 'tls',
      local: listener.local,
      remote: remote ?? UNKNOWN_ADDRESS,
      detail: `TLS handshake failed: ${describeError(error)}`,
    });
  }

  #adopt(
    socket: net.Socket,
    transport: SipStreamProtocol,
    direction: 'inbound' | 'outbound',
    serverName: string | undefined,
  ): StreamConnection {
    const id = `${transport}-${this.#nextId++}`;
    const tlsSocket = socket instanceof tls.TLSSocket ? socket : undefined;
    const peerCertificate = tlsSocket ? describePeerCertificate(tlsSocket) : undefined;
    const tlsProtocol = tlsSocket?.getProtocol() ?? undefined;
    const info: ConnectionInfo = {
      id,
      transport,
      direction,
      local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      ...(serverName !== undefined ? { serverName } : {}),
      ...(peerCertificate ? { peerCertificate } : {}),
      ...(tlsProtocol ? { tlsProtocol } : {}),
    };
    const connection = new StreamConnection(socket, info, {
      clock: this.#clock,
      trace: this.trace,
      timers: direction === 'outbound' ? this.#outboundTimers : this.#inboundTimers,
      limits: this.#framing,
      hooks: {
        onMessage: (bytes, from) => this.#onStreamMessage(bytes, from.info),
        onClosed: (closed, reason) => this.#onConnectionClosed(closed, reason),
      },
    });
    this.#connections.set(id, connection);
    this.#byRemote.set(remoteKey(transport, info.remote), connection);
    if (this.trace.active) {
      const { local, remote } = info;
      this.trace.publish({
        kind: 'connection',
        event: 'opened',
        connectionId: id,
        direction,
        transport,
        local,
        remote,
        ...(serverName !== undefined ? { serverName } : {}),
        ...(peerCertificate ? { peerCertificate } : {}),
        ...(tlsProtocol ? { tlsProtocol } : {}),
      });
    }
    this.#events.emit('connectionOpened', info);
    return connection;
  }

  #onConnectionClosed(connection: StreamConnection, reason: ConnectionCloseReason): void {
    const { id, transport, direction, local, remote } = connection.info;
    this.#connections.delete(id);
    for (const [key, mapped] of this.#byRemote) {
      if (mapped === connection) this.#byRemote.delete(key);
    }
    if (this.trace.active) {
      this.trace.publish({
        kind: 'connection',
        event: 'closed',
        connectionId: id,
        direction,
        transport,
        local,
        remote,
        reason,
      });
    }
    this.#events.emit('connectionClosed', connection.info, reason);
  }

  #onStreamMessage(bytes: Buffer, info: ConnectionInfo): void {
    this.trace.publishMessage('received', info.transport, info.local, info.remote, bytes, info.id);
    const context: ReceivedMessageContext = {
      transport: info.transport,
      local: info.local,
      remote: info.remote,
      connectionId: info.id,
      ...(info.peerCertificate ? { tlsPeerCertificate: info.peerCertificate } : {}),
      ...(info.serverName !== undefined ? { tlsServerName: info.serverName } : {}),
    };
    this.#events.emit('message', bytes, context);
  }

  /** RFC 3261 §18.1.2/§18.2.1: on UDP one datagram is one message; CRLF-only datagrams are keep-alives. */
  #onDatagram(bytes: Buffer, remote: SocketAddress, endpoint: UdpEndpoint): void {
    if (isBlank(bytes)) {
      this.#publishDrop(
        {
          direction: 'received',
          reason: 'empty-datagram',
          transport: 'udp',
          local: endpoint.local,
          remote,
          detail: bytes.length === 0 ? 'empty datagram' : 'datagram of only CR/LF (a keep-alive)',
        },
        bytes,
      );
      return;
    }
    this.trace.publishMessage('received', 'udp', endpoint.local, remote, bytes);
    this.#events.emit('message', bytes, { transport: 'udp', local: endpoint.local, remote });
  }

  #publishDrop(
    input: Omit<TraceDropRecord, 'kind' | 'sequence' | 'wallTimeMs' | 'monotonicTimeMs' | 'sample'>,
    bytes?: Uint8Array,
  ): void {
    if (!this.trace.active) return;
    this.trace.publish({ kind: 'drop', ...input, ...traceSample(bytes) });
  }
}

function remoteKey(transport: SipTransportProtocol, remote: SocketAddress): string {
  return `${transport}|${remote.address}|${remote.port}`;
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x0d && byte !== 0x0a) return false;
  return true;
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new SipTransportError('SIP_INVALID_DESTINATION', `Port ${port} is not a valid destination port.`);
  }
}
