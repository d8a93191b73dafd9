import type { Clock } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import type { RtpRemote, RtpTransport, RtpTransportEvents } from '../rtp/rtp-transport.js';
import type { TransportAddress } from '../rtp/transport-address.js';
import type { ImpairmentProfile } from './impairment-model.js';
import { ImpairmentStage, type ImpairmentStats } from './impairment-stage.js';

// An RtpTransport that behaves like a bad network: datagrams this side sends pass the send stage before the transport
// underneath sends them, and datagrams it receives pass the receive stage before anyone above hears of them. It sits
// where the network is — under SrtpTransport, on top of the UDP sockets — so SRTP sees exactly the losses, delays
// and duplicates (replays!) a real path would cause. RTP and RTCP get the same profile but separate stages with
// their own seeds: RTCP's randomised timing must not shift which RTP packets a seed drops, or a run could not be
// replayed.
//
//   media session ─► SrtpTransport ─► ImpairedRtpTransport ─► UdpRtpTransport ─► network
//                                       send stage ▼ / ▲ receive stage
//
// A delayed received packet is stamped with the time it leaves the stage: to the layers above it arrived then.

export interface ImpairedRtpTransportOptions {
  readonly clock: Clock;
  /** Impairment of what we send (the far end hears it). */
  readonly send?: ImpairmentProfile;
  /** Impairment of what we receive (we hear it). */
  readonly receive?: ImpairmentProfile;
  /** PRNG seed of the send RTP stage; receive RTP, send RTCP and receive RTCP use seed + 1, + 2, + 3. Default 1. */
  readonly seed?: number;
  /** Whether disposing this transport disposes the one it wraps (default true). */
  readonly disposeInner?: boolean;
}

interface Received {
  readonly channel: 'rtp' | 'rtcp';
  readonly packet: Buffer;
  readonly from: TransportAddress;
}

export interface ImpairedTransportStats {
  readonly send: ImpairmentStats;
  readonly receive: ImpairmentStats;
  readonly sendRtcp: ImpairmentStats;
  readonly receiveRtcp: ImpairmentStats;
}

export class ImpairedRtpTransport extends TypedEmitter<RtpTransportEvents> implements RtpTransport {
  /** The RTP stages; change a profile mid-call with `setProfile`. */
  readonly sendStage: ImpairmentStage;
  readonly receiveStage: ImpairmentStage;
  readonly sendRtcpStage: ImpairmentStage;
  readonly receiveRtcpStage: ImpairmentStage;
  readonly #inner: RtpTransport;
  readonly #clock: Clock;
  readonly #subscriptions: Disposable[];
  readonly #disposeInner: boolean;
  #disposed = false;

  constructor(inner: RtpTransport, options: ImpairedRtpTransportOptions) {
    super();
    this.#inner = inner;
    this.#clock = options.clock;
    this.#disposeInner = options.disposeInner ?? true;
    const seed = options.seed ?? 1;
    const stage = (profile: ImpairmentProfile | undefined, offset: number): ImpairmentStage =>
      new ImpairmentStage({ clock: options.clock, profile, seed: seed + offset });
    this.sendStage = stage(options.send, 0);
    this.receiveStage = stage(options.receive, 1);
    this.sendRtcpStage = stage(options.send, 2);
    this.receiveRtcpStage = stage(options.receive, 3);
    const receive =
      (channel: 'rtp' | 'rtcp', on: ImpairmentStage) => (packet: Buffer, from: TransportAddress) =>
        on.process<Received>({ channel, packet, from }, (r) => this.#emitReceived(r));
    this.#subscriptions = [
      inner.on('rtp', receive('rtp', this.receiveStage)),
      inner.on('rtcp', receive('rtcp', this.receiveRtcpStage)),
      inner.on('error', (error) => this.emit('error', error)),
    ];
  }

  /** What each stage did so far. */
  get stats(): ImpairedTransportStats {
    return {
      send: this.sendStage.stats,
      receive: this.receiveStage.stats,
      sendRtcp: this.sendRtcpStage.stats,
      receiveRtcp: this.receiveRtcpStage.stats,
    };
  }

  get remote(): RtpRemote | undefined {
    return this.#inner.remote;
  }

  setRemote(remote: RtpRemote | undefined): void {
    this.#inner.setRemote(remote);
  }

  sendRtp(packet: Uint8Array): void {
    // A copy: the caller may reuse its buffer before a delayed packet leaves.
    this.sendStage.process(Buffer.from(packet), (p) => this.#disposed || this.#inner.sendRtp(p));
  }

  sendRtcp(packet: Uint8Array): void {
    this.sendRtcpStage.process(Buffer.from(packet), (p) => this.#disposed || this.#inner.sendRtcp(p));
  }

  #emitReceived(received: Received): void {
    if (this.#disposed) return;
    // A duplicate must not share memory with its twin: the layer above may decrypt in place.
    const packet = Buffer.from(received.packet);
    this.emit(received.channel, packet, received.from, this.#clock.now());
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const stage of [this.sendStage, this.receiveStage, this.sendRtcpStage, this.receiveRtcpStage]) {
      stage.dispose();
    }
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.removeAllListeners();
    if (this.#disposeInner) this.#inner.dispose();
  }
}
