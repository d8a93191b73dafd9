// The emulator's end of a call's media: the "PSTN" party of an outbound call, the PSTN caller of an inbound call,
// a transfer target. It answers or makes SDP offers through media/offer-answer and speaks real RTP/SRTP through
// media/session — but lazily, because the emulator must hold thousands of established calls and an idle call must
// cost little (the target: ≤ 10 KB per idle established call; docs/adr/0081):
//
//   open ──► idle: one bound UDP socket, the negotiator, no MediaSession, no pacing timer
//              │  first RTP packet from the peer (re-delivered to the new session), or a source with something to
//              │  say (tone, WAV), or DTMF to send
//              ▼
//            live: MediaSession (pacing, jitter buffer, SRTP, DTMF, RTCP, statistics)
//              │
//   close ─────┴──► closed (RTCP BYE when live; socket and port released)
//
// An echo or silent far end stays idle until media arrives: echoing nothing sends nothing (a real far end would
// send comfort noise, which no peer needs). RTP and RTCP share the one socket (a=rtcp names the RTP port, RFC 3605;
// RTCP is told apart by packet type, RFC 5761 §4), which halves the sockets per call.
//
// RTP inactivity (§6, §20: 3020 rtp_timeout) is watched here, the same way in both states: the arrival of every
// datagram on the RTP port is noted, and one timer checks the silence. Watching starts when the call is answered
// (`watchInactivity`; early media and ringing do not count), pauses while the peer is not meant to send (it holds
// with `inactive`, or we asked it to), and starts over on resume.

import type { MediaTaps } from './media-taps.js';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import {
  directionReceives,
  SdpNegotiator,
  type NegotiatedMedia,
  type SrtpPolicy,
} from '../../media/offer-answer/index.js';
import type { UdpRtpTransport, TransportAddress } from '../../media/rtp/index.js';
import type { MediaDirection, SessionDescription } from '../../media/sdp/index.js';
import {
  MediaSession,
  type EchoSource,
  type MediaSessionStats,
  type RtpPortLease,
  type RtpSocketPool,
} from '../../media/session/index.js';
import {
  isImpaired,
  mutedSink,
  mutedSource,
  type FarEndImpairment,
  type MediaSource,
} from '../far-end/index.js';
import type { AudioSources } from './audio-sources.js';

export interface FarEndMediaOptions {
  readonly clock: Clock;
  /** Where the call's RTP socket comes from: a port of the media range, or a socket kept from an earlier call. */
  readonly sockets: RtpSocketPool;
  /** Where the RTP socket binds (the config's `media.bindAddress`). */
  readonly bindAddress: string;
  /** `mandatory` on secure trunks and TLS origination URIs, `off` otherwise (§2.3, §8, §20). */
  readonly srtpPolicy: SrtpPolicy;
  readonly sources: AudioSources;
  /** No RTP for this long while the peer should send raises `inactive`; null turns it off (§20). */
  readonly inactivityTimeoutMs: number | null;
  /** Pause between DTMF digits the far end sends (scenario `dtmf.gapMs`). Default 100 ms. */
  readonly dtmfGapMs?: number;
  /** The o= user name and s= of our SDP (FreeSWITCH's, like Zentrunk's media servers, §2.5). */
  readonly sdpUsername?: string;
  readonly sdpSessionName?: string;
  /** A deliberate media fault (the far-end table's `impairment`); absent or null: clean media. */
  readonly impairment?: FarEndImpairment | null;
  /** Packet observers (`trunkline emulator --pcap`): the session is tapped when it goes live. */
  readonly taps?: MediaTaps;
}

export interface FarEndMediaEvents {
  /** An RFC 4733 digit from the peer ended. */
  dtmf: (digit: string, durationMs: number) => void;
  /** No RTP for the inactivity time while the peer should send. */
  inactive: (silentForMs: number) => void;
  /** A socket or send failure (the call goes on). */
  error: (error: Error) => void;
}

/**
 * The one party that owns the media (its call leg), told of its events by plain method calls: a leg holds its
 * media for the whole call, and three emitter subscriptions (a closure, a context and a subscription each) were a
 * measurable part of an idle call (docs/adr/0093). Other observers still use the events.
 */
export interface FarEndMediaOwner {
  mediaDtmf(digit: string, durationMs: number): void;
  mediaInactive(silentForMs: number): void;
  mediaError(error: Error): void;
}

/** What the CDR and the events need to know about the media. */
export interface FarEndMediaSummary {
  readonly codec: string | null;
  readonly srtpSuite: string | null;
  readonly stats: MediaSessionStats | undefined;
}

export class FarEndMedia extends TypedEmitter<FarEndMediaEvents> {
  readonly #options: FarEndMediaOptions;
  readonly #transport: UdpRtpTransport;
  readonly #lease: RtpPortLease;
  readonly #negotiator: SdpNegotiator;
  #session: MediaSession | undefined;
  /** Told of DTMF, inactivity and errors before the event listeners are (see FarEndMediaOwner). */
  owner: FarEndMediaOwner | undefined;
  /** The one 'rtp' listener of the idle state and of the inactivity watch (see #onRtp). */
  #rtpListener: Disposable | undefined;
  /** Set while idle: the first datagram from the peer starts the MediaSession. */
  #wakeOnRtp = false;
  #transportErrors: Disposable | undefined;
  #lastArrivalMs = 0;
  #watching = false;
  #inactivityTimer: TimerHandle | undefined;
  #source: MediaSource;
  #echoSink: Disposable | undefined;
  #running = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #tapped: Disposable | undefined;

  private constructor(options: FarEndMediaOptions, transport: UdpRtpTransport, lease: RtpPortLease) {
    super();
    this.#options = options;
    this.#transport = transport;
    this.#lease = lease;
    this.#source = { kind: 'silence' };
    const local = transport.localRtp;
    this.#negotiator = new SdpNegotiator({
      // RTCP shares the RTP port (one socket per call): a=rtcp says so (RFC 3605).
      local: { address: local.address, rtpPort: local.port, rtcpPort: local.port },
      srtpPolicy: options.srtpPolicy,
      username: options.sdpUsername ?? 'FreeSWITCH',
      sessionName: options.sdpSessionName ?? 'FreeSWITCH',
    });
    // Once live, the session reports the transport's errors itself.
    this.#transportErrors = transport.on('error', (error) => this.#error(error));
  }

  /** Binds an RTP port from the range (MEDIA_PORTS_EXHAUSTED when none is free). */
  static async open(options: FarEndMediaOptions): Promise<FarEndMedia> {
    const { transport, lease } = await options.sockets.open(options.bindAddress);
    return new FarEndMedia(options, transport, lease);
  }

  get localRtp(): TransportAddress {
    return this.#transport.localRtp;
  }

  get negotiated(): NegotiatedMedia | undefined {
    return this.#negotiator.negotiated;
  }

  /** Whether a MediaSession runs (for tests and the memory measurement). */
  get live(): boolean {
    return this.#session !== undefined;
  }

  get hasPendingOffer(): boolean {
    return this.#negotiator.hasPendingOffer;
  }

  /** Answers the peer's offer (NegotiationError → 488, SdpParseError → 400); media follows the answer at once. */
  answer(offerSdp: string | SessionDescription, direction?: MediaDirection): string {
    const { sdp, negotiated } = this.#negotiator.processOffer(offerSdp, direction ? { direction } : {});
    this.#apply(negotiated);
    return sdp;
  }

  /** Our offer (a late-offer INVITE's 200, an inbound INVITE, hold and resume re-INVITEs). */
  offer(direction?: MediaDirection): string {
    return this.#negotiator.createOffer(direction ? { direction } : {}).sdp;
  }

  /** Applies the peer's answer to our offer. */
  acceptAnswer(answerSdp: string): NegotiatedMedia {
    const negotiated = this.#negotiator.processAnswer(answerSdp);
    this.#apply(negotiated);
    return negotiated;
  }

  /** Our offer was refused (a 488 to a re-INVITE): the session stays as it was (RFC 3264 §8). */
  cancelOffer(): void {
    this.#negotiator.cancelOffer();
  }

  /** What the far end sends from now on; echo and silence stay idle until the peer sends. */
  play(source: MediaSource): void {
    this.#source = source;
    if (this.#closed) return;
    if (this.#session) this.#setSource(this.#session);
    else if (this.#running && needsSession(source)) this.#goLive(undefined);
  }

  /**
   * Starts watching for RTP inactivity (the call is answered). Raises `inactive` once, after the configured
   * time without a datagram while the peer is meant to send.
   */
  watchInactivity(): void {
    if (this.#watching || this.#closed || this.#options.inactivityTimeoutMs === null) return;
    this.#watching = true;
    this.#lastArrivalMs = this.#options.clock.now();
    this.#listenForRtp();
    this.#armInactivity();
  }

  /** Sends RFC 4733 digits (MEDIA_DTMF_NOT_NEGOTIATED when the peer did not offer telephone-event). */
  sendDtmf(digits: string, durationMs: number): void {
    if (this.#closed || !this.#running) return;
    const session = this.#session ?? this.#goLive(undefined);
    session.sendDtmf(digits, { durationMs });
  }

  summary(): FarEndMediaSummary {
    const negotiated = this.negotiated;
    return {
      codec: negotiated?.codec.encodingName ?? null,
      srtpSuite: negotiated?.srtp?.profile ?? null,
      stats: this.#session?.stats(),
    };
  }

  /** Ends the media: an RTCP BYE when live, the socket closed and the port given back. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#options.clock.clearTimeout(this.#inactivityTimer);
    this.#rtpListener?.dispose();
    this.#rtpListener = undefined;
    this.#transportErrors?.dispose();
    this.#echoSink?.dispose();
    this.#tapped?.dispose();
    if (this.#session) await this.#session.close();
    else {
      this.#transport.dispose();
      this.#lease.release();
    }
    this.removeAllListeners();
    this.owner = undefined;
  }

  #apply(negotiated: NegotiatedMedia): void {
    if (this.#closed) return;
    const wasReceiving = this.#running && this.#receiving;
    this.#running = true;
    if (this.#watching && !wasReceiving && directionReceives(negotiated.direction)) {
      // Resumed: the peer starts sending again, so the wait starts over (as in the media session).
      this.#lastArrivalMs = this.#options.clock.now();
    }
    if (this.#session) this.#session.update(negotiated);
    else if (needsSession(this.#source)) this.#goLive(undefined);
    else {
      this.#wakeOnRtp = true;
      this.#listenForRtp();
    }
    this.#armInactivity();
  }

  /**
   * One listener serves both reasons to hear the peer's datagrams: noting the arrival time for the inactivity
   * watch, and waking an idle far end. It stays for the life of the media (the session listens for itself).
   */
  #listenForRtp(): void {
    this.#rtpListener ??= this.#transport.on('rtp', (packet, from, arrivalMs) =>
      this.#onRtp(packet, from, arrivalMs),
    );
  }

  #onRtp(packet: Buffer, from: TransportAddress, arrivalMs: number): void {
    if (this.#watching) this.#lastArrivalMs = arrivalMs;
    if (this.#wakeOnRtp && !this.#session) this.#goLive({ packet, from, arrivalMs });
  }

  #dtmf(digit: string, durationMs: number): void {
    this.owner?.mediaDtmf(digit, durationMs);
    this.emit('dtmf', digit, durationMs);
  }

  #error(error: Error): void {
    this.owner?.mediaError(error);
    this.emit('error', error);
  }

  get #receiving(): boolean {
    const direction = this.#negotiator.negotiated?.direction;
    return direction !== undefined && directionReceives(direction);
  }

  /** Starts the MediaSession; a packet that woke it is handed to it, so not even the first 20 ms are lost. */
  #goLive(first: { packet: Buffer; from: TransportAddress; arrivalMs: number } | undefined): MediaSession {
    if (this.#session) return this.#session;
    this.#wakeOnRtp = false;
    if (!this.#watching) {
      this.#rtpListener?.dispose();
      this.#rtpListener = undefined;
    }
    this.#transportErrors?.dispose();
    this.#transportErrors = undefined;
    const session = new MediaSession({
      clock: this.#options.clock,
      transport: this.#transport,
      portLease: this.#lease,
      localRtp: this.#transport.localRtp,
      // Inactivity is watched by this object, also while idle, and only from the answer on.
      inactivityTimeoutMs: 0,
      statsIntervalMs: 0,
      dtmf: { interDigitGapMs: this.#options.dtmfGapMs ?? 100 },
      ...networkImpairment(this.#options.impairment),
    });
    this.#session = session;
    this.#tapped = this.#options.taps?.attach(session);
    session.on('dtmf', (event) => {
      if (event.type === 'digit-end') this.#dtmf(event.symbol, event.durationMs);
    });
    session.on('error', (error) => this.#error(error));
    this.#setSource(session);
    session.start(this.#negotiator.negotiated!);
    if (first) this.#transport.emit('rtp', first.packet, first.from, first.arrivalMs);
    return session;
  }

  #setSource(session: MediaSession): void {
    this.#echoSink?.dispose();
    this.#echoSink = undefined;
    const created = this.#options.sources.create(this.#source);
    const echo: EchoSource | undefined = created.echo;
    const mute = this.#options.impairment?.mute ?? 'none';
    // Muting swaps samples for silence and never skips a packet: the fault must look healthy to packet counters.
    if (echo) this.#echoSink = session.addSink(mute === 'to-far-end' ? mutedSink(echo) : echo);
    session.setSource(mute === 'from-far-end' ? mutedSource(created.source) : created.source);
  }

  /** (Re)arms the one inactivity timer for the time the silence would reach the timeout. */
  #armInactivity(): void {
    const timeoutMs = this.#options.inactivityTimeoutMs;
    const clock = this.#options.clock;
    clock.clearTimeout(this.#inactivityTimer);
    this.#inactivityTimer = undefined;
    if (!this.#watching || this.#closed || timeoutMs === null || !this.#receiving) return;
    const dueMs = this.#lastArrivalMs + timeoutMs - clock.now();
    this.#inactivityTimer = clock.setTimeout(() => {
      this.#inactivityTimer = undefined;
      const silentForMs = clock.now() - this.#lastArrivalMs;
      if (silentForMs >= timeoutMs) {
        this.owner?.mediaInactive(silentForMs);
        this.emit('inactive', silentForMs);
      } else this.#armInactivity();
    }, dueMs);
  }
}

function needsSession(source: MediaSource): boolean {
  return source.kind === 'tone' || source.kind === 'wav';
}

/** Loss and jitter of an impairment, on what the far end sends (media/impairment under SRTP). */
function networkImpairment(impairment: FarEndImpairment | null | undefined): {
  impairment?: { send: { lossRate: number; jitterMs: number }; seed: number };
} {
  if (!isImpaired(impairment) || (impairment.lossRate === 0 && impairment.jitterMs === 0)) return {};
  return {
    impairment: {
      send: { lossRate: impairment.lossRate, jitterMs: impairment.jitterMs },
      seed: impairment.seed,
    },
  };
}
