import type { Clock } from '../../common/clock.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import type { RtpRemote, RtpTransport, RtpTransportEvents } from './rtp-transport.js';
import type { TransportAddress } from './transport-address.js';

// Two RTP transports wired to each other in memory (pjmedia's loop transport): what one sends, the other receives
// on the next microtask, stamped with the shared clock. Tests of everything above the socket (SRTP, the receive
// pipeline, the media session) run on it without ports, and may inspect or alter datagrams on the way through.

export type LoopbackTap = (packet: Buffer, channel: 'rtp' | 'rtcp') => Buffer | undefined;

export class LoopbackRtpTransport extends TypedEmitter<RtpTransportEvents> implements RtpTransport {
  readonly local: TransportAddress;
  #peer: LoopbackRtpTransport | undefined;
  #remote: RtpRemote | undefined;
  #disposed = false;
  readonly #clock: Clock;
  /** Sees every datagram this side sends; return undefined to drop it, or a (possibly changed) datagram. */
  tap: LoopbackTap | undefined;

  private constructor(clock: Clock, local: TransportAddress) {
    super();
    this.#clock = clock;
    this.local = local;
  }

  /** A connected pair; each side's remote is the other's fake address. */
  static createPair(clock: Clock): [LoopbackRtpTransport, LoopbackRtpTransport] {
    const a = new LoopbackRtpTransport(clock, { address: '127.0.0.1', port: 40000 });
    const b = new LoopbackRtpTransport(clock, { address: '127.0.0.1', port: 40002 });
    a.#peer = b;
    b.#peer = a;
    a.#remote = { rtp: b.local, rtcp: b.local };
    b.#remote = { rtp: a.local, rtcp: a.local };
    return [a, b];
  }

  get remote(): RtpRemote | undefined {
    return this.#remote;
  }

  setRemote(remote: RtpRemote | undefined): void {
    this.#remote = remote;
  }

  sendRtp(packet: Uint8Array): void {
    this.#deliver(packet, 'rtp');
  }

  sendRtcp(packet: Uint8Array): void {
    this.#deliver(packet, 'rtcp');
  }

  #deliver(packet: Uint8Array, channel: 'rtp' | 'rtcp'): void {
    const peer = this.#peer;
    if (this.#disposed || !peer || this.#remote === undefined) return;
    // A copy, as a socket would give: the receiver may decrypt in place.
    let datagram: Buffer | undefined = Buffer.from(packet);
    if (this.tap) datagram = this.tap(datagram, channel);
    if (datagram === undefined) return;
    const delivered = datagram;
    queueMicrotask(() => {
      if (!peer.#disposed) peer.emit(channel, delivered, this.local, this.#clock.now());
    });
  }

  dispose(): void {
    this.#disposed = true;
    this.removeAllListeners();
  }
}
