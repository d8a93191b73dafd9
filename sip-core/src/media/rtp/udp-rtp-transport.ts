import { type Socket, createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Clock } from '../../common/clock.js';
import { toError } from '../../common/errors.js';
import { lookupLiteral } from '../../common/lookup-literal.js';
import { hostAndPort } from '../../common/host-port.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import { isRtcpPacket } from './rtp-rtcp-demux.js';
import type { RtpRemote, RtpTransport, RtpTransportEvents } from './rtp-transport.js';
import type { TransportAddress } from './transport-address.js';

// RTP over a pair of UDP sockets (RTP on one port, RTCP on another), or one socket under rtcp-mux (RFC 5761). This is
// the thin adapter at the edge: it binds, sends, stamps arrivals with the clock and emits; every decision about the
// datagrams is taken by the processors above it. Port choice (Zentrunk's even ports in 10000-30000) belongs to the
// media session, which passes the ports it wants.

/** Set by UdpRtpTransport's static block: the one way the outbox reaches a transport's private send. */
let deliverQueued: Delivery;

/**
 * Takes a transport's socket when the transport is disposed, instead of closing it (session/RtpSocketPool keeps it
 * bound for the next call). The transport has removed its own listeners from the socket by then.
 */
export interface UdpSocketKeeper {
  keep(socket: Socket, transport: UdpRtpTransport): void;
}

/**
 * One send in this many carries a callback, the first of each transport's too. node:dgram tells a send's failure
 * only to its callback: without one a refused datagram vanishes, no 'error' event (lib/dgram.js `doSend`). A
 * transport that cannot reach its peer — a socket bound to 127.0.0.1 sending elsewhere (EINVAL), a firewall
 * (EPERM), no route (ENETUNREACH) — is found out by these probes within a second at 50 packets/s, the rest keep
 * the callback-free synchronous send.
 */
export const SEND_PROBE_INTERVAL = 50;

export interface UdpRtpTransportOptions {
  readonly clock: Clock;
  /** Default 127.0.0.1. */
  readonly localAddress?: string;
  /** 0 (default) lets the OS choose. */
  readonly rtpPort?: number;
  /** A port for RTCP, or 'mux' to share the RTP socket. Default: rtpPort + 1, or an OS-chosen port when rtpPort is 0. */
  readonly rtcpPort?: number | 'mux';
  readonly remote?: RtpRemote;
  /** Given the socket at `dispose` instead of it being closed; only for an rtcp-mux transport (one socket). */
  readonly keeper?: UdpSocketKeeper;
}

export class UdpRtpTransport extends TypedEmitter<RtpTransportEvents> implements RtpTransport {
  readonly #clock: Clock;
  readonly #rtpSocket: Socket;
  readonly #rtcpSocket: Socket | undefined;
  // Where the sockets are bound, read once: `Socket.address()` is a syscall (getsockname) and a new object per
  // call, and the emulator's far end asks for it on every call set-up (~1 % of its busy time). The address string
  // and two small integers keep an idle call's transport as small as it was.
  readonly #localAddress: string;
  readonly #localRtpPort: number;
  readonly #localRtcpPort: number;
  #remote: RtpRemote | undefined;
  /** RTCP shares the RTP socket: bound so (one socket), or switched on after an answer accepted rtcp-mux. */
  #rtcpMux: boolean;
  readonly #keeper: UdpSocketKeeper | undefined;
  #disposed = false;
  /** Datagrams handed to a socket; every SEND_PROBE_INTERVAL-th carries a callback. */
  #sends = 0;
  /** The last probe failed: reported once, until one succeeds again. */
  #sendsFailing = false;

  static {
    // The outbox calls back into the transport through one function for all transports, not a bound closure per
    // transport: an idle call's transport lives for the whole call, and a closure field costs each one a context
    // and (under tsx, which keeps names by redefining `name`) a property dictionary (docs/adr/0093).
    deliverQueued = (transport, socket, packet, to) => transport.#deliver(socket, packet, to);
  }

  /** Sends for real, at the end of the run that sent `packet`. */
  #deliver(socket: Socket, packet: Uint8Array, to: TransportAddress): void {
    if (this.#disposed) return;
    try {
      // Most sends carry no callback: node:dgram then tries a synchronous send first (uv_udp_try_send) instead of
      // queuing a request per packet. Their failures are lost (see SEND_PROBE_INTERVAL); the probes report them.
      if (this.#sends++ % SEND_PROBE_INTERVAL === 0) {
        socket.send(packet, to.port, to.address, (error) => this.#probed(error, to));
      } else socket.send(packet, to.port, to.address);
    } catch (error) {
      this.emit('error', toError(error));
    }
  }

  /** A probe's outcome: the first failure after a success (or the start) is this transport's 'error'. */
  #probed(error: Error | null, to: TransportAddress): void {
    if (error === null) {
      this.#sendsFailing = false;
      return;
    }
    if (this.#sendsFailing || this.#disposed) return;
    this.#sendsFailing = true;
    this.emit(
      'error',
      new Error(
        `Media to ${hostAndPort(to.address, to.port)} is not leaving this machine: ${error.message} ` +
          '(the socket’s address cannot reach it, or the system refused the datagram).',
        { cause: error },
      ),
    );
  }

  private constructor(
    clock: Clock,
    rtpSocket: Socket,
    rtcpSocket: Socket | undefined,
    remote: RtpRemote | undefined,
    keeper: UdpSocketKeeper | undefined,
    bound?: TransportAddress,
  ) {
    super();
    this.#clock = clock;
    this.#keeper = rtcpSocket === undefined ? keeper : undefined;
    this.#rtpSocket = rtpSocket;
    this.#rtcpSocket = rtcpSocket;
    this.#remote = remote;
    this.#rtcpMux = rtcpSocket === undefined;
    const rtpBound = bound ?? rtpSocket.address();
    this.#localAddress = rtpBound.address;
    this.#localRtpPort = rtpBound.port;
    this.#localRtcpPort = rtcpSocket === undefined ? rtpBound.port : rtcpSocket.address().port;
    // node:dgram's `rinfo` is a new object per datagram that nothing else holds, with `address` and `port`: it is
    // our TransportAddress as it is, without a copy per packet.
    rtpSocket.on('message', (data, from) => {
      this.emit(this.#rtcpMux && isRtcpPacket(data) ? 'rtcp' : 'rtp', data, from, this.#clock.now());
    });
    rtcpSocket?.on('message', (data, from) => {
      this.emit('rtcp', data, from, this.#clock.now());
    });
    for (const socket of [rtpSocket, rtcpSocket]) socket?.on('error', (error) => this.emit('error', error));
  }

  /** Binds the sockets; rejects (and releases whatever was bound) when a port is taken. */
  static async open(options: UdpRtpTransportOptions): Promise<UdpRtpTransport> {
    const localAddress = options.localAddress ?? '127.0.0.1';
    const rtpPort = options.rtpPort ?? 0;
    const rtpSocket = await bind(localAddress, rtpPort);
    let rtcpSocket: Socket | undefined;
    if (options.rtcpPort !== 'mux') {
      const rtcpPort = options.rtcpPort ?? (rtpPort === 0 ? 0 : rtpPort + 1);
      try {
        rtcpSocket = await bind(localAddress, rtcpPort);
      } catch (error) {
        rtpSocket.close();
        throw error;
      }
    }
    return new UdpRtpTransport(options.clock, rtpSocket, rtcpSocket, options.remote, options.keeper);
  }

  /**
   * A transport over a socket that is already bound at `bound` (one a keeper kept from an earlier transport, whose
   * `localRtp` it was): RTP and RTCP share it (rtcp-mux). The socket must have no 'message' or 'error' listeners.
   */
  static adopt(
    options: Pick<UdpRtpTransportOptions, 'clock' | 'remote' | 'keeper'>,
    socket: Socket,
    bound: TransportAddress,
  ): UdpRtpTransport {
    return new UdpRtpTransport(options.clock, socket, undefined, options.remote, options.keeper, bound);
  }

  get localRtp(): TransportAddress {
    return { address: this.#localAddress, port: this.#localRtpPort };
  }

  /** Both sockets are bound to the same address (`open`'s `localAddress`). */
  get localRtcp(): TransportAddress {
    return { address: this.#localAddress, port: this.#localRtcpPort };
  }

  get remote(): RtpRemote | undefined {
    return this.#remote;
  }

  setRemote(remote: RtpRemote | undefined): void {
    this.#remote = remote;
  }

  /** Whether RTCP travels on the RTP socket (RFC 5761): always when opened with `rtcpPort: 'mux'`. */
  get rtcpMux(): boolean {
    return this.#rtcpMux;
  }

  /**
   * Switches rtcp-mux on or off for a transport that holds an RTCP socket. An offerer that offers rtcp-mux must
   * still bind RTP+1 in case the answer declines it (RFC 5761 §5.1.1), so it learns only from the answer whether
   * RTCP moves onto the RTP socket; the RTCP socket stays bound either way (a re-offer may change it back).
   */
  setRtcpMux(enabled: boolean): void {
    this.#rtcpMux = enabled || this.#rtcpSocket === undefined;
  }

  sendRtp(packet: Uint8Array): void {
    this.#send(this.#rtpSocket, packet, this.#remote?.rtp);
  }

  sendRtcp(packet: Uint8Array): void {
    const socket = this.#rtcpMux ? this.#rtpSocket : (this.#rtcpSocket ?? this.#rtpSocket);
    this.#send(socket, packet, this.#remote?.rtcp);
  }

  #send(socket: Socket, packet: Uint8Array, to: TransportAddress | undefined): void {
    if (this.#disposed || to === undefined) return;
    outbox.add(this, socket, packet, to);
  }

  dispose(): void {
    if (this.#disposed) return;
    // What was sent before dispose still leaves.
    outbox.flush();
    this.#disposed = true;
    if (this.#keeper !== undefined) {
      this.#rtpSocket.removeAllListeners('message');
      this.#rtpSocket.removeAllListeners('error');
      this.#keeper.keep(this.#rtpSocket, this);
    } else {
      this.#rtpSocket.close();
      this.#rtcpSocket?.close();
    }
    this.removeAllListeners();
  }
}

/**
 * Datagrams sent during one synchronous run leave together at its end (on a microtask), in the order they were sent.
 * A FrameScheduler batch ticks many sessions in one run; sending each packet the moment its session built it spaces
 * the sends by a session's work, and each send then has to wake the receiving process again (an inter-processor
 * interrupt, costly in a VM). Back to back, the first send wakes it and the others find it running: about 2 µs less
 * per send here, and less CPU for the peer (docs/adr/0058). Packets wait microseconds; their order is kept.
 */
type Delivery = (
  transport: UdpRtpTransport,
  socket: Socket,
  packet: Uint8Array,
  to: TransportAddress,
) => void;

class Outbox {
  // Parallel arrays used up to `#count` and kept at their size between runs: setting an array's length to 0 would
  // give its storage back, and every run would grow it again. Slots are cleared after their send, so that nothing
  // sent (or disposed) is kept alive by the outbox.
  readonly #transports: (UdpRtpTransport | undefined)[] = [];
  readonly #sockets: (Socket | undefined)[] = [];
  readonly #packets: (Uint8Array | undefined)[] = [];
  readonly #destinations: (TransportAddress | undefined)[] = [];
  #count = 0;
  #queued = false;
  readonly #flush = (): void => this.flush();

  add(transport: UdpRtpTransport, socket: Socket, packet: Uint8Array, to: TransportAddress): void {
    const i = this.#count++;
    this.#transports[i] = transport;
    this.#sockets[i] = socket;
    this.#packets[i] = packet;
    this.#destinations[i] = to;
    if (!this.#queued) {
      this.#queued = true;
      queueMicrotask(this.#flush);
    }
  }

  flush(): void {
    this.#queued = false;
    // The count is read on every turn: a send that fails synchronously reports an 'error', and a listener may send.
    for (let i = 0; i < this.#count; i++) {
      const transport = this.#transports[i]!;
      const socket = this.#sockets[i]!;
      const packet = this.#packets[i]!;
      const to = this.#destinations[i]!;
      this.#transports[i] = undefined;
      this.#sockets[i] = undefined;
      this.#packets[i] = undefined;
      this.#destinations[i] = undefined;
      deliverQueued(transport, socket, packet, to);
    }
    this.#count = 0;
  }
}

const outbox = new Outbox();

function bind(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', lookup: lookupLiteral });
    // Inline callbacks, not named closures: under tsx (esbuild's keepNames) a named one redefines its `name` each
    // time it is made, once per call here. Once bound, the socket has no other 'error' listener than this one.
    socket.once('error', (error: Error) => {
      socket.close();
      reject(error);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}
