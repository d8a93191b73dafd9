import { randomBytes, randomInt } from 'node:crypto';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import { toError } from '../../common/errors.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import type { AudioCodec } from '../codec/audio-codec.js';
import { type CodecRegistry, createDefaultCodecRegistry } from '../codec/codec-registry.js';
import { FRAME_DURATION_MS, FRAME_SAMPLES } from '../codec/pcm-frame.js';
import { DtmfReceiver, type DtmfReceiverEvent } from '../dtmf/dtmf-receiver.js';
import { DtmfSender, type TelephoneEventPacket } from '../dtmf/dtmf-sender.js';
import { ImpairedRtpTransport } from '../impairment/impaired-rtp-transport.js';
import type { ImpairmentProfile } from '../impairment/impairment-model.js';
import {
  JitterBuffer,
  type JitterBufferFrameKind,
  type JitterBufferOptions,
} from '../jitter/jitter-buffer.js';
import { directionReceives, directionSends } from '../offer-answer/media-direction.js';
import type { NegotiatedMedia, NegotiatedSrtp } from '../offer-answer/negotiated-media.js';
import { compactNtpFromUnixMs } from '../rtcp/ntp-timestamp.js';
import { roundTripTimeMs } from '../rtcp/round-trip-time.js';
import { type RtcpPacket, parseRtcpCompound, serializeRtcpCompound } from '../rtcp/rtcp-compound.js';
import type { RtcpReportBlock } from '../rtcp/rtcp-report-block.js';
import { SDES_ITEM_TYPE } from '../rtcp/rtcp-source-description.js';
import { DropCounters } from '../rtp/drop-counters.js';
import {
  DEFAULT_MAX_RTP_PACKET_BYTES,
  RTP_FIXED_HEADER_BYTES,
  emptyRtpHeaderFields,
  parseRtpPacket,
  rtpHeaderLength,
} from '../rtp/rtp-packet.js';
import { RtpInactivityMonitor } from '../rtp/rtp-inactivity-monitor.js';
import { RtpReceiver } from '../rtp/rtp-receiver.js';
import type { RtpTransport } from '../rtp/rtp-transport.js';
import { type LatchMode, SymmetricRtpLatch } from '../rtp/symmetric-rtp-latch.js';
import { type TransportAddress, sameTransportAddress } from '../rtp/transport-address.js';
import { UdpRtpTransport } from '../rtp/udp-rtp-transport.js';
import { SrtpTransport } from '../srtp/srtp-transport.js';
import { MediaPacketTap, type MediaPacketRecord } from './media-packet-tap.js';
import type { AudioSink, AudioSource } from './audio-source.js';
import { FramePacer } from './frame-pacer.js';
import { FrameScheduler, type PacedTask } from './frame-scheduler.js';
import { MediaSessionError } from './media-session-error.js';
import type { MediaSessionStats } from './media-session-stats.js';
import { rtcpIntervalMs } from './rtcp-interval.js';
import { type RtpPortLease, RtpPortAllocator, type RtpPortRange } from './rtp-port-allocator.js';
import { RtpSendStream } from './rtp-send-stream.js';
import { SilenceSource } from './silence-source.js';

// One call's audio stream: the object the softphone, the emulator's far end, the checks and `trunkline call` all use.
// It composes the media layer's processors around one Clock and one transport stack:
//
//   send (every 20 ms, FramePacer)                          receive (per datagram)
//   source.read ─► sinks.onSent                             UdpRtpTransport
//        │  DtmfSender.poll (mutes audio during an event)        ▼  ImpairedRtpTransport (optional)
//        ▼                                                       ▼  SrtpTransport (when negotiated): auth, replay
//   codec.encode ─► RtpSendStream (SSRC, seq, ts)                ▼  SSRC guard ─► RtpReceiver (parse, stats)
//        ▼                                                       ├─ telephone-event ─► DtmfReceiver ─► 'dtmf'
//   SrtpTransport ─► ImpairedRtpTransport ─► UDP                 └─ audio ─► codec.decode ─┬─► JitterBuffer
//                                                         sinks.onArrived (the echo's loop) ◄─┘
//                                                      tick: JitterBuffer.pull ─► sinks.onReceived
//                                                      (the JitterBuffer only while some sink has onReceived)
//
// Lifecycle:
//
//   open/new ──start(negotiated)──► running ──update(negotiated)──► running (codec, direction, remote, keys)
//       │                              │
//       └──────────── close() ─────────┴──► closed (RTCP BYE sent, timers cleared, sockets and ports released)
//
// Direction (RFC 3264 §5.1, from NegotiatedMedia.direction, i.e. what *we* do): sendrecv and sendonly send audio,
// recvonly and inactive do not; sendrecv and recvonly play what arrives, sendonly and inactive do not (and do not
// watch for inactivity: the peer is not supposed to send). RTCP goes on in every direction (RFC 3264 §5.1).
//
// DTMF (RFC 4733). Digits are sent by a DtmfSender polled on the frame grid with the audio's own timestamp, SSRC and
// sequence numbers, one packet per 20 ms frame. While an event is being sent the session sends no audio packets
// (RFC 4733 §2.6: a tone must not also be carried in the audio) but still reads its source, so a WAV prompt or hold
// music keeps real time, and the frame's timestamp is consumed, so audio resumes on the sampling clock. Received
// telephone-events bypass the jitter buffer and reach DtmfReceiver as they arrive.
//
// SSRC. A stray packet with an unknown SSRC is dropped (`session:wrong-ssrc`) unless `ssrcConfirmPackets`
// consecutive packets carry it, in which case the stream follows it (a B2BUA that switched media sources);
// `ssrcChange: 'lock'` never follows. A packet with our own SSRC from an address other than our own is a collision
// (RFC 3550 §8.2): we send a BYE for the old SSRC and continue with a new random one.

export interface MediaSessionOptions {
  readonly clock: Clock;
  /** The transport underneath (UDP from `MediaSession.open`, a loopback pair in tests). The session owns it. */
  readonly transport: RtpTransport;
  /** Our RTP address as the peer sees it (loop detection; default none). */
  readonly localRtp?: TransportAddress;
  /** Given back on close. */
  readonly portLease?: RtpPortLease;
  readonly codecs?: CodecRegistry;
  /** The RTCP CNAME (RFC 7022: random per session by default). */
  readonly cname?: string;
  /** Random uint32 for the SSRC, first sequence number and first timestamp (default node:crypto). */
  readonly randomUint32?: () => number;
  /** Random [0, 1) for the RTCP interval (default Math.random). */
  readonly random?: () => number;
  /** No RTP for this long raises 'inactive' (Zentrunk: 60 s → 3020 rtp_timeout). Default 60000; 0 turns it off. */
  readonly inactivityTimeoutMs?: number;
  /** Period of the 'stats' event. Default 1000 ms; 0 turns it off. */
  readonly statsIntervalMs?: number;
  /** RTCP's minimum deterministic interval (RFC 3550 §6.2). Default 5000 ms. */
  readonly rtcpMinIntervalMs?: number;
  /** Symmetric RTP (RFC 4961). Default 'once'. */
  readonly latch?: LatchMode;
  /** What to do when the remote SSRC changes. Default 'follow'. */
  readonly ssrcChange?: 'follow' | 'lock';
  /** Consecutive packets of a new SSRC before 'follow' follows it. Default 3. */
  readonly ssrcConfirmPackets?: number;
  readonly jitterBuffer?: JitterBufferOptions;
  /** DTMF sending: digit duration (default 100 ms), volume, gap between digits (default 100 ms). */
  readonly dtmf?: {
    readonly durationMs?: number;
    readonly volume?: number;
    readonly interDigitGapMs?: number;
  };
  /** Late-tick policy of the pacer (see frame-pacer.ts). Default 3 frames. */
  readonly maxCatchUpFrames?: number;
  /** Runs the 20 ms send ticks. Default `FrameScheduler.shared(clock)`: one timer for every session on the clock. */
  readonly scheduler?: FrameScheduler;
  /** A userspace bad network under SRTP (media/impairment). */
  readonly impairment?: {
    readonly send?: ImpairmentProfile;
    readonly receive?: ImpairmentProfile;
    readonly seed?: number;
  };
}

export interface MediaSessionOpenOptions extends Omit<
  MediaSessionOptions,
  'transport' | 'portLease' | 'localRtp'
> {
  /** Where to bind. Default 127.0.0.1. */
  readonly localAddress?: string;
  /** A shared allocator (one per process keeps sessions off each other's ports). */
  readonly portAllocator?: RtpPortAllocator;
  /** The range for a new allocator when none is given. Default 10000-30000. */
  readonly portRange?: RtpPortRange;
}

export interface MediaSessionEvents {
  /** The statistics snapshot, every `statsIntervalMs`. */
  stats: (stats: MediaSessionStats) => void;
  /** A received RFC 4733 digit starts or ends. */
  dtmf: (event: DtmfReceiverEvent) => void;
  /** No RTP for `inactivityTimeoutMs` while we expect it; raised once until media flows again. */
  inactive: (info: { readonly silentForMs: number; readonly lastPacketMs: number | undefined }) => void;
  /** Media flows again after 'inactive'. */
  active: () => void;
  /** Symmetric RTP moved where we send. */
  'remote-changed': (remote: TransportAddress, channel: 'rtp' | 'rtcp') => void;
  /** Our SSRC changed after a collision (RFC 3550 §8.2). */
  'ssrc-changed': (change: { readonly previous: number; readonly current: number }) => void;
  /** The remote source said goodbye (RTCP BYE). */
  'remote-bye': (bye: { readonly ssrcs: readonly number[]; readonly reason: string | undefined }) => void;
  /** A new RTT measurement from a peer's report block. */
  rtt: (rttMs: number) => void;
  /** A socket or send failure (the session goes on). */
  error: (error: Error) => void;
  closed: () => void;
}

type SessionDropReason = 'wrong-ssrc' | 'loop';

let defaultAllocator: RtpPortAllocator | undefined;

/** Pacing statistics of a session not started yet. */
const NO_PACING = new FramePacer({ startMs: 0 }).stats;

/** What an idle DTMF sender has to send. */
const NO_EVENTS: readonly TelephoneEventPacket[] = Object.freeze([]);

/** Where the SSRC sits in an RTP header (RFC 3550 §5.1). */
const RTP_SSRC_OFFSET = 8;

function randomUint32(): number {
  return randomInt(0, 2 ** 32 - 1) >>> 0;
}

/**
 * Peeks at the SSRC of a datagram that looks like a well-formed RTP packet, without building a packet object. Other
 * datagrams get undefined and go on to the RtpReceiver, which counts them under their real reason.
 */
function peekSsrc(datagram: Buffer, length: number): number | undefined {
  if (length > DEFAULT_MAX_RTP_PACKET_BYTES || typeof rtpHeaderLength(datagram, length) !== 'number') {
    return undefined;
  }
  return datagram.readUInt32BE(RTP_SSRC_OFFSET);
}

export class MediaSession extends TypedEmitter<MediaSessionEvents> {
  readonly #clock: Clock;
  readonly #options: MediaSessionOptions;
  readonly #base: RtpTransport;
  readonly #impaired: ImpairedRtpTransport | undefined;
  readonly #codecs: CodecRegistry;
  readonly #cname: string;
  readonly #random: () => number;
  readonly #randomUint32: () => number;
  readonly #stream: RtpSendStream;
  readonly #sessionDrops = new DropCounters<SessionDropReason>();
  readonly #rtcpDrops = new DropCounters<string>();
  /** Drops of RtpReceivers replaced by a payload type change, kept for the totals. */
  readonly #retiredRtpDrops: Array<Partial<Record<string, number>>> = [];
  readonly #sinks = new Set<AudioSink>();
  /** The sinks as an array, rebuilt when they change: iterated twice per frame without an iterator object. */
  #sinkList: readonly AudioSink[] = [];
  /** The sinks with `onArrived`, and the source when it has one (EchoSource): rebuilt when either changes. */
  #arrivalList: readonly AudioSink[] = [];
  /**
   * Whether anything plays the received audio (a sink, or the source, with `onReceived`). When nothing does — the
   * emulator's echo, which loops packets from arrival, or a far end that only talks — the jitter buffer is neither
   * fed nor pulled: push, pull, transit statistics and concealment on every packet, for frames nobody hears
   * (docs/adr/0155).
   */
  #playoutOn = false;
  readonly #frame = new Int16Array(FRAME_SAMPLES);
  readonly #silence = new Int16Array(FRAME_SAMPLES);
  // The per-packet path works in these (docs/adr/0057): the header of the packet being received, its decoded
  // samples (the jitter buffer copies them), the packet handed to the jitter buffer, the frame being played (sinks
  // get it only for the duration of their call), and the RTP packet being protected under SRTP.
  readonly #rtpFields = emptyRtpHeaderFields();
  #decoded = new Int16Array(FRAME_SAMPLES);
  readonly #jitterPacket: {
    sequence: number;
    timestamp: number;
    payload: Int16Array;
    arrivalMs: number;
    ssrc: number;
  } = { sequence: 0, timestamp: 0, payload: this.#decoded, arrivalMs: 0, ssrc: 0 };
  readonly #playout = new Int16Array(FRAME_SAMPLES);
  #sendBuffer = Buffer.alloc(0);
  readonly #dtmfReceiver: DtmfReceiver;
  readonly #jitterBuffer: JitterBuffer;
  /** Read once: a closed socket can no longer tell its address. */
  readonly #localRtp: TransportAddress | undefined;
  readonly #localRtcp: TransportAddress | undefined;
  #source: AudioSource = new SilenceSource();
  #srtp: SrtpTransport | undefined;
  #top: RtpTransport;
  /** Packet observers (diagnostics); created on the first `tapPackets`, so an untapped session tests one field. */
  #tap: MediaPacketTap | undefined;
  #topSubscriptions: Disposable[] = [];
  #state: 'idle' | 'running' | 'closed' = 'idle';
  #closing: Promise<void> | undefined;

  #negotiated: NegotiatedMedia | undefined;
  #codec: AudioCodec | undefined;
  #receiver: RtpReceiver | undefined;
  #dtmfSender: DtmfSender | undefined;
  #pacer: FramePacer | undefined;
  #framesPerPacket = 1;
  /** Encoded payload of the packet being assembled (ptime > 20 ms), and the frame it starts at. */
  #packetPayload: Uint8Array | undefined;
  #packetFrames = 0;
  #packetFirstFrame = 0;
  #markNext = true;
  #rtpLatch: SymmetricRtpLatch | undefined;
  #rtcpLatch: SymmetricRtpLatch | undefined;
  #ssrcCandidate: number | undefined;
  #ssrcCandidateCount = 0;
  #inactivity: RtpInactivityMonitor | undefined;
  #inactiveReported = false;
  #rttMs: number | undefined;

  /** The send tick, while it is scheduled. */
  #pacing: Disposable | undefined;
  #rtcpTimer: TimerHandle | undefined;
  #statsTimer: TimerHandle | undefined;
  #inactivityTimer: TimerHandle | undefined;

  #audioPackets = 0;
  #dtmfPackets = 0;
  #dtmfDigits = 0;
  #rtcpSent = 0;
  #rtcpReceived = 0;
  #dtmfReceived = 0;

  constructor(options: MediaSessionOptions) {
    super();
    this.#clock = options.clock;
    this.#options = options;
    this.#base = options.transport;
    this.#codecs = options.codecs ?? createDefaultCodecRegistry();
    this.#random = options.random ?? Math.random;
    this.#randomUint32 = options.randomUint32 ?? randomUint32;
    this.#cname = options.cname ?? `${randomBytes(9).toString('base64url')}@trunkline`;
    this.#stream = new RtpSendStream({
      ssrc: this.#randomUint32(),
      initialSequence: this.#randomUint32() & 0xffff,
      initialTimestamp: this.#randomUint32(),
      clockRateHz: 8000,
      samplesPerFrame: FRAME_SAMPLES,
    });
    this.#dtmfReceiver = new DtmfReceiver();
    this.#jitterBuffer = new JitterBuffer(options.jitterBuffer);
    const impairment = options.impairment;
    this.#impaired =
      impairment && (impairment.send || impairment.receive)
        ? new ImpairedRtpTransport(this.#base, { clock: this.#clock, ...impairment, disposeInner: false })
        : undefined;
    this.#top = this.#impaired ?? this.#base;
    this.#subscribeTop();
    const udp = this.#base instanceof UdpRtpTransport ? this.#base : undefined;
    this.#localRtp = udp?.localRtp ?? options.localRtp;
    this.#localRtcp = udp?.localRtcp ?? options.localRtp;
  }

  /**
   * Allocates an RTP/RTCP port pair (even RTP, RTCP = RTP + 1) from the range, binds it on `localAddress` and
   * returns an idle session; give its ports to the SDP negotiator, then `start` it with the negotiated media.
   */
  static async open(options: MediaSessionOpenOptions): Promise<MediaSession> {
    const allocator =
      options.portAllocator ??
      (options.portRange
        ? new RtpPortAllocator(options.portRange)
        : (defaultAllocator ??= new RtpPortAllocator()));
    const localAddress = options.localAddress ?? '127.0.0.1';
    const { lease, bound } = await allocator.allocate((rtpPort, rtcpPort) =>
      UdpRtpTransport.open({ clock: options.clock, localAddress, rtpPort, rtcpPort }),
    );
    return new MediaSession({ ...options, transport: bound, portLease: lease, localRtp: bound.localRtp });
  }

  /** Our RTP port (for the SDP m= line), when the transport is UDP. */
  get localRtpPort(): number | undefined {
    return this.#localRtp?.port;
  }

  /** Our RTCP port (RTP + 1 from `open`). */
  get localRtcpPort(): number | undefined {
    return this.#localRtcp?.port;
  }

  get localAddress(): string | undefined {
    return this.#localRtp?.address;
  }

  get state(): 'idle' | 'running' | 'closed' {
    return this.#state;
  }

  /** Our SSRC now. */
  get ssrc(): number {
    return this.#stream.ssrc;
  }

  get negotiated(): NegotiatedMedia | undefined {
    return this.#negotiated;
  }

  /** The impairment stages, when the session was opened with an impairment. */
  get impairment(): ImpairedRtpTransport | undefined {
    return this.#impaired;
  }

  get source(): AudioSource {
    return this.#source;
  }

  /**
   * Replaces what we send, from the next frame on (hold music, a prompt, the microphone). A source that is also a
   * sink (EchoSource) is given the played frames while it is the source.
   */
  setSource(source: AudioSource): void {
    this.#source = source;
    this.#listSinks();
  }

  /**
   * Calls `listener` with every RTP and RTCP packet this session sends (before SRTP protects it) and receives (after
   * SRTP unprotects it), for PCAP export. Dispose the result to stop.
   */
  tapPackets(listener: (record: MediaPacketRecord) => void): Disposable {
    this.#tap ??= new MediaPacketTap();
    return this.#tap.subscribe(listener);
  }

  /** Adds a sink; dispose the result to remove it. */
  addSink(sink: AudioSink): Disposable {
    this.#sinks.add(sink);
    this.#listSinks();
    return {
      dispose: () => {
        this.#sinks.delete(sink);
        this.#listSinks();
      },
    };
  }

  #listSinks(): void {
    this.#sinkList = [...this.#sinks];
    const source = this.#source as AudioSource & AudioSink;
    const arrivals = this.#sinkList.filter((sink) => sink.onArrived !== undefined);
    if (source.onArrived !== undefined && !this.#sinks.has(source)) arrivals.push(source);
    this.#arrivalList = arrivals;
    const playout =
      this.#sinkList.some((sink) => sink.onReceived !== undefined) ||
      (source.onReceived !== undefined && !this.#sinks.has(source));
    // A listener that comes later hears the stream from then on: what the buffer held before it stopped being
    // played is stale, so playout starts over (prefetching, as at the start of a call).
    if (playout && !this.#playoutOn) this.#jitterBuffer.reset();
    this.#playoutOn = playout;
  }

  /** Starts sending and receiving with the outcome of the first offer/answer. */
  start(negotiated: NegotiatedMedia): void {
    if (this.#state === 'closed') throw new MediaSessionError('MEDIA_CLOSED', 'The media session is closed.');
    if (this.#state === 'running') {
      this.update(negotiated);
      return;
    }
    // Applied first: an unsupported codec throws before anything starts.
    this.#apply(negotiated);
    this.#state = 'running';
    const nowMs = this.#clock.now();
    const scheduler = this.#options.scheduler ?? FrameScheduler.shared(this.#clock);
    this.#pacer = new FramePacer({
      // Many sessions started together would tick together: the scheduler spreads their phases (docs/adr/0067).
      startMs: scheduler.spreadStartMs(nowMs),
      frameMs: FRAME_DURATION_MS,
      maxCatchUpFrames: this.#options.maxCatchUpFrames,
    });
    const pacer = this.#pacer;
    const task: PacedTask = {
      get nextDeadlineMs() {
        return pacer.nextDeadlineMs;
      },
      run: () => this.#tick(),
    };
    this.#pacing = scheduler.add(task);
    this.#rtcpTimer = this.#clock.setTimeout(
      () => this.#onRtcpTimer(),
      rtcpIntervalMs(this.#random, { initial: true, minIntervalMs: this.#options.rtcpMinIntervalMs }),
    );
    const statsIntervalMs = this.#options.statsIntervalMs ?? 1000;
    if (statsIntervalMs > 0) this.#armStats(statsIntervalMs);
    const inactivityMs = this.#options.inactivityTimeoutMs ?? 60_000;
    if (inactivityMs > 0) {
      this.#inactivity = new RtpInactivityMonitor(inactivityMs, nowMs);
      this.#armInactivity();
    }
  }

  /** Applies a re-offer's outcome: hold/resume, codec or telephone-event change, new remote address, new keys. */
  update(negotiated: NegotiatedMedia): void {
    if (this.#state === 'closed') throw new MediaSessionError('MEDIA_CLOSED', 'The media session is closed.');
    if (this.#state === 'idle') {
      throw new MediaSessionError('MEDIA_NOT_STARTED', 'Start the media session before updating it.');
    }
    const previous = this.#negotiated!;
    this.#apply(negotiated);
    const wasReceiving = directionReceives(previous.direction);
    if (!wasReceiving && directionReceives(negotiated.direction)) {
      // Resumed: the peer starts sending again, so the inactivity wait and the playout start over.
      this.#inactivity?.reset(this.#clock.now());
      this.#jitterBuffer.reset();
    }
    if (!directionSends(previous.direction) && directionSends(negotiated.direction)) this.#markNext = true;
  }

  /**
   * Sends RFC 4733 digits ('0'-'9', '*', '#', 'A'-'D') after any already queued. Throws a DtmfError for an invalid
   * digit, and a MediaSessionError when telephone-event was not negotiated.
   */
  sendDtmf(digits: string, options: { durationMs?: number; volume?: number } = {}): void {
    if (this.#state !== 'running' || !this.#dtmfSender) {
      throw new MediaSessionError(
        'MEDIA_DTMF_NOT_NEGOTIATED',
        'RFC 4733 DTMF needs a running session whose peer accepted telephone-event; none was negotiated.',
      );
    }
    this.#dtmfSender.enqueue(digits, this.#clock.now(), options);
  }

  /** Whether DTMF digits are being sent or queued. */
  get sendingDtmf(): boolean {
    return (this.#dtmfSender?.isSending ?? false) || (this.#dtmfSender?.pendingCount ?? 0) > 0;
  }

  /** A statistics snapshot now. */
  stats(): MediaSessionStats {
    const source = this.#receiver?.source?.snapshot();
    const sent = this.#stream.statistics.snapshot();
    const drops: Record<string, number> = {};
    const add = (prefix: string, counts: Partial<Record<string, number>>): void => {
      for (const [reason, count] of Object.entries(counts)) {
        if (count) drops[`${prefix}:${reason}`] = (drops[`${prefix}:${reason}`] ?? 0) + count;
      }
    };
    add('srtp', this.#srtp?.rtpDrops.snapshot() ?? {});
    add('srtcp', this.#srtp?.rtcpDrops.snapshot() ?? {});
    for (const retired of this.#retiredRtpDrops) add('rtp', retired);
    add('rtp', this.#receiver?.drops.snapshot() ?? {});
    add('rtcp', this.#rtcpDrops.snapshot());
    add('session', this.#sessionDrops.snapshot());
    const negotiated = this.#negotiated;
    return {
      atMs: this.#clock.now(),
      state: this.#state,
      direction: negotiated?.direction,
      codec:
        negotiated && this.#codec
          ? { name: this.#codec.name, payloadType: negotiated.codec.payloadType }
          : undefined,
      telephoneEventPayloadType: negotiated?.telephoneEvent?.payloadType,
      srtpProfile: negotiated?.srtp?.profile,
      localSsrc: this.#stream.ssrc,
      remote: this.#top.remote?.rtp,
      sent: {
        packets: sent.packetsSent,
        octets: sent.payloadOctetsSent,
        audioPackets: this.#audioPackets,
        dtmfPackets: this.#dtmfPackets,
        dtmfDigits: this.#dtmfDigits,
        rtcpPackets: this.#rtcpSent,
      },
      received: {
        packets: source?.packetsReceived ?? 0,
        octets: source?.payloadOctetsReceived ?? 0,
        lost: source?.lost ?? 0,
        expected: source?.expected ?? 0,
        jitterMs: source?.jitterMs ?? 0,
        ssrc: source?.ssrc,
        dtmfPackets: this.#dtmfReceived,
        rtcpPackets: this.#rtcpReceived,
        lastPacketMs: source?.lastArrivalMs,
      },
      rttMs: this.#rttMs,
      jitterBuffer: this.#jitterBuffer.stats,
      srtp: this.#srtp
        ? {
            authFailures: this.#srtp.rtpDrops.get('auth-failed') + this.#srtp.rtcpDrops.get('auth-failed'),
            replays:
              this.#srtp.rtpDrops.get('replayed') +
              this.#srtp.rtpDrops.get('too-old') +
              this.#srtp.rtcpDrops.get('replayed') +
              this.#srtp.rtcpDrops.get('too-old'),
          }
        : undefined,
      drops,
      dropsTotal: Object.values(drops).reduce((sum, n) => sum + n, 0),
      pacing: this.#pacer?.stats ?? NO_PACING,
      dtmfReceiver: this.#dtmfReceiver.stats,
      impairment: this.#impaired?.stats,
    };
  }

  /**
   * Ends the stream: sends an RTCP BYE (RFC 3550 §6.6), clears every timer, closes the sockets and gives the ports
   * back. Resolves once the sockets are closed; a second call returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const wasRunning = this.#state === 'running';
    this.#state = 'closed';
    this.#pacing?.dispose();
    this.#pacing = undefined;
    for (const timer of [this.#rtcpTimer, this.#statsTimer, this.#inactivityTimer]) {
      this.#clock.clearTimeout(timer);
    }
    if (wasRunning) this.#sendRtcp('BYE');
    // node:dgram resolves even a literal address on the next tick before it sends: close after that tick, or the
    // BYE would be dropped with the socket.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    for (const subscription of this.#topSubscriptions) subscription.dispose();
    this.#srtp?.dispose();
    this.#impaired?.dispose();
    this.#base.dispose();
    this.#options.portLease?.release();
    this.emit('closed');
    this.removeAllListeners();
  }

  // ---- negotiation -------------------------------------------------------------------------------------------

  #apply(negotiated: NegotiatedMedia): void {
    const previous = this.#negotiated;
    const codec = this.#codecs.find(negotiated.codec.encodingName, negotiated.codec.clockRateHz);
    if (!codec || codec.clockRateHz !== 8000) {
      throw new MediaSessionError(
        'MEDIA_CODEC_UNSUPPORTED',
        `The negotiated codec ${negotiated.codec.encodingName}/${negotiated.codec.clockRateHz} is not registered.`,
      );
    }
    this.#codec = codec;
    this.#negotiated = negotiated;
    this.#framesPerPacket = Math.max(1, Math.round(negotiated.ptimeMs / FRAME_DURATION_MS));
    this.#packetPayload = undefined;
    this.#packetFrames = 0;

    this.#applySrtp(previous?.srtp, negotiated.srtp);
    if (this.#base instanceof UdpRtpTransport) this.#base.setRtcpMux(negotiated.rtcpMux);

    const rtp = { address: negotiated.remoteAddress, port: negotiated.remoteRtpPort };
    const rtcp = { address: negotiated.remoteRtcpAddress, port: negotiated.remoteRtcpPort };
    const latchMode = this.#options.latch ?? 'once';
    const moved =
      !previous ||
      !sameTransportAddress(rtp, { address: previous.remoteAddress, port: previous.remoteRtpPort }) ||
      !sameTransportAddress(rtcp, { address: previous.remoteRtcpAddress, port: previous.remoteRtcpPort });
    if (moved) {
      // A new signalled address (a re-INVITE moved the media): the latches start over from it.
      this.#rtpLatch = new SymmetricRtpLatch(rtp, { mode: latchMode });
      this.#rtcpLatch = new SymmetricRtpLatch(rtcp, { mode: latchMode });
      this.#top.setRemote({ rtp, rtcp });
    }

    const te = negotiated.telephoneEvent;
    const samePayloadTypes =
      previous !== undefined &&
      previous.codec.payloadType === negotiated.codec.payloadType &&
      previous.telephoneEvent?.payloadType === te?.payloadType;
    if (!samePayloadTypes) {
      if (this.#receiver) this.#retiredRtpDrops.push(this.#receiver.drops.snapshot());
      const payloadTypes = te
        ? [negotiated.codec.payloadType, te.payloadType]
        : [negotiated.codec.payloadType];
      this.#receiver = new RtpReceiver({
        clockRateHz: 8000,
        payloadTypes,
        eventPayloadTypes: te ? [te.payloadType] : [],
        // Authentication already vouches for an SRTP source (media/rtp README).
        minSequential: negotiated.srtp ? 1 : undefined,
      });
      this.#receiver.setLocalSsrc(this.#stream.ssrc);
    }
    if (te && !this.#dtmfSender) {
      const dtmf = this.#options.dtmf ?? {};
      // One event packet per frame: event packets then sit on the same 20 ms grid as audio.
      this.#dtmfSender = new DtmfSender({ ...dtmf, packetIntervalMs: FRAME_DURATION_MS });
    }
    if (!te && this.#dtmfSender) {
      this.#dtmfSender.cancel(this.#clock.now());
      this.#dtmfSender = undefined;
    }
  }

  #applySrtp(previous: NegotiatedSrtp | undefined, next: NegotiatedSrtp | undefined): void {
    const below = this.#impaired ?? this.#base;
    if (!next) {
      if (this.#srtp) {
        this.#srtp.dispose();
        this.#srtp = undefined;
        this.#top = below;
        this.#subscribeTop();
      }
      return;
    }
    if (!this.#srtp) {
      this.#srtp = new SrtpTransport(below, { ...next, disposeInner: false });
      this.#top = this.#srtp;
      this.#subscribeTop();
      return;
    }
    const sameKeys =
      previous !== undefined &&
      previous.profile === next.profile &&
      previous.sendKey.equals(next.sendKey) &&
      previous.receiveKey.equals(next.receiveKey);
    if (!sameKeys) this.#srtp.rekey(next);
  }

  #subscribeTop(): void {
    for (const subscription of this.#topSubscriptions) subscription.dispose();
    const top = this.#top;
    this.#topSubscriptions = [
      // Under SRTP the packet arrives where it was decrypted, with its length (no view per packet, ADR 0155).
      top === this.#srtp
        ? this.#srtp.onUnprotectedRtp((datagram, length, from, arrivalMs) =>
            this.#onRtp(datagram, from, arrivalMs, length),
          )
        : top.on('rtp', (packet, from, arrivalMs) => this.#onRtp(packet, from, arrivalMs, packet.length)),
      top.on('rtcp', (packet, from, arrivalMs) => this.#onRtcp(packet, from, arrivalMs)),
      top.on('error', (error) => this.emit('error', error)),
    ];
  }

  // ---- send path -----------------------------------------------------------------------------------------------

  #tick(): void {
    if (this.#state !== 'running') return;
    const pacer = this.#pacer!;
    const nowMs = this.#clock.now();
    const due = pacer.take(nowMs);
    try {
      for (let i = 0; i < due.count; i++) {
        const frameIndex = due.first + i;
        this.#sendFrame(frameIndex, pacer.deadlineMs(frameIndex), i < due.skipped);
        this.#playFrame(pacer.deadlineMs(frameIndex));
      }
    } catch (error) {
      // Only our own bug can get here (sources and sinks are guarded); the call keeps its pacing all the same.
      this.#reportError(error);
    }
    // Only a digit in progress can time out; polling an idle receiver would allocate for nothing on every tick.
    if (this.#dtmfReceiver.inProgress) {
      for (const event of this.#dtmfReceiver.poll(nowMs)) this.emit('dtmf', event);
    }
  }

  #sendFrame(frameIndex: number, frameMs: number, skipped: boolean): void {
    const negotiated = this.#negotiated!;
    const frame = this.#frame;
    try {
      this.#source.read(frame);
    } catch (error) {
      // An app's source that throws costs it this frame (sent as silence), never the call.
      frame.fill(0);
      this.#reportError(error);
    }
    const timestamp = this.#stream.timestampOf(frameIndex);
    const sending = directionSends(negotiated.direction);
    const sender = this.#dtmfSender;
    // An idle sender has nothing to send; polling it would allocate an empty list on every frame.
    const events =
      sender && (sender.isSending || sender.pendingCount > 0) ? sender.poll(frameMs, timestamp) : NO_EVENTS;
    const te = negotiated.telephoneEvent;
    if (events.length > 0 && te && sending) {
      for (const event of events) {
        const packet = this.#stream.packet(
          {
            payloadType: te.payloadType,
            marker: event.marker,
            timestamp: event.timestamp,
            payload: event.payload,
          },
          frameMs,
        );
        if (this.#tap?.active) this.#tapPacket('rtp', 'sent', packet, undefined);
        this.#top.sendRtp(packet);
        this.#dtmfPackets++;
        if (event.marker) this.#dtmfDigits++;
      }
    }
    const muted = !sending || skipped || events.length > 0 || (sender?.isSending ?? false);
    this.#notifySent(muted ? this.#silence : frame);
    if (muted) {
      // A packet being assembled is abandoned: its frames would no longer be contiguous.
      this.#packetFrames = 0;
      if (!sending) this.#markNext = true;
      return;
    }
    this.#appendAudio(frameIndex, frameMs, frame);
  }

  #appendAudio(frameIndex: number, frameMs: number, frame: Int16Array): void {
    const codec = this.#codec!;
    const frameBytes = codec.payloadBytesFor(FRAME_SAMPLES);
    if (this.#packetFrames === 0) {
      this.#packetFirstFrame = frameIndex;
      if (this.#packetPayload?.length !== frameBytes * this.#framesPerPacket) {
        this.#packetPayload = new Uint8Array(frameBytes * this.#framesPerPacket);
      }
    }
    const payload = this.#packetPayload!;
    // One frame per packet (ptime 20) encodes into the payload itself, without a view per frame.
    codec.encode(
      frame,
      this.#framesPerPacket === 1
        ? payload
        : payload.subarray(this.#packetFrames * frameBytes, (this.#packetFrames + 1) * frameBytes),
    );
    this.#packetFrames++;
    if (this.#packetFrames < this.#framesPerPacket) return;
    this.#packetFrames = 0;
    // SrtpTransport protects into a new buffer and keeps nothing, so under SRTP one buffer serves every packet;
    // any other transport may keep what it is given (node:dgram, the impairment stage) and gets a new one.
    const length = RTP_FIXED_HEADER_BYTES + payload.length;
    if (this.#top === this.#srtp && this.#sendBuffer.length !== length)
      this.#sendBuffer = Buffer.alloc(length);
    const packet = this.#top === this.#srtp ? this.#sendBuffer : Buffer.allocUnsafe(length);
    this.#stream.writePacket(
      packet,
      this.#negotiated!.codec.payloadType,
      // RFC 3551 §4.1: the marker flags the first packet of a talkspurt (the first, and the first after hold).
      this.#markNext,
      this.#stream.timestampOf(this.#packetFirstFrame),
      payload,
      frameMs,
    );
    this.#markNext = false;
    this.#audioPackets++;
    if (this.#tap?.active) this.#tapPacket('rtp', 'sent', packet, undefined);
    this.#top.sendRtp(packet);
  }

  #playFrame(frameMs: number): void {
    if (!this.#playoutOn || !directionReceives(this.#negotiated!.direction)) return;
    const frame = this.#playout;
    const kind = this.#jitterBuffer.pullInto(frameMs, frame);
    const source = this.#source as AudioSource & AudioSink;
    if (source.onReceived !== undefined && !this.#sinks.has(source))
      this.#deliverReceived(source, frame, kind);
    const sinks = this.#sinkList;
    for (let i = 0; i < sinks.length; i++)
      if (sinks[i].onReceived) this.#deliverReceived(sinks[i], frame, kind);
  }

  // App-supplied sources and sinks are guarded: one that throws is reported, and the other sinks and the call go on.
  // (Inline try/catch rather than a closure per call: this runs for every sink on every frame.)
  #deliverReceived(sink: AudioSink, frame: Int16Array, kind: JitterBufferFrameKind): void {
    try {
      sink.onReceived?.(frame, kind);
    } catch (error) {
      this.#reportError(error);
    }
  }

  #deliverArrived(sink: AudioSink, samples: Int16Array, timestamp: number): void {
    try {
      sink.onArrived?.(samples, timestamp);
    } catch (error) {
      this.#reportError(error);
    }
  }

  #notifySent(frame: Int16Array): void {
    const sinks = this.#sinkList;
    for (let i = 0; i < sinks.length; i++) {
      const sink = sinks[i];
      if (!sink.onSent) continue;
      try {
        sink.onSent(frame);
      } catch (error) {
        this.#reportError(error);
      }
    }
  }

  /** Publishes a packet to the tap; `from` is the sender of a received one. Off the hot path unless tapped. */
  #tapPacket(
    kind: 'rtp' | 'rtcp',
    direction: 'sent' | 'received',
    bytes: Uint8Array,
    from: TransportAddress | undefined,
  ): void {
    const rtcpOnRtpPort = kind === 'rtp' || this.#negotiated?.rtcpMux === true;
    const local = rtcpOnRtpPort ? this.#localRtp : this.#localRtcp;
    const remote = from ?? (kind === 'rtp' ? this.#top.remote?.rtp : this.#top.remote?.rtcp);
    if (local === undefined || remote === undefined) return;
    this.#tap!.publish({
      kind,
      direction,
      wallTimeMs: this.#clock.wallNow(),
      monotonicTimeMs: this.#clock.now(),
      local,
      remote,
      bytes,
      srtp: this.#srtp !== undefined,
    });
  }

  #reportError(error: unknown): void {
    this.emit('error', toError(error));
  }

  // ---- receive path --------------------------------------------------------------------------------------------

  /** One RTP packet: `datagram[0, length)` (under SRTP the datagram goes on with the checked tag). */
  #onRtp(datagram: Buffer, from: TransportAddress, arrivalMs: number, length: number): void {
    if (this.#tap?.active) this.#tapPacket('rtp', 'received', datagram.subarray(0, length), from);
    const receiver = this.#receiver;
    const negotiated = this.#negotiated;
    if (this.#state !== 'running' || !receiver || !negotiated) return;
    if (!this.#passesSsrcGuard(datagram, length, from, receiver)) return;
    const fields = this.#rtpFields;
    const dropped = receiver.receiveInto(datagram, from, arrivalMs, fields, length);
    if (dropped !== undefined) {
      if (dropped === 'ssrc-collision') this.#onSsrcCollision();
      return;
    }
    this.#noteActivity(arrivalMs);
    if (this.#rtpLatch?.observe(from)) this.#latchMoved('rtp');
    if (negotiated.telephoneEvent && fields.payloadType === negotiated.telephoneEvent.payloadType) {
      // Telephone-events are few (a digit is a few packets): they get a packet object for the DTMF receiver.
      const parsed = parseRtpPacket(datagram.subarray(0, length));
      if (!parsed.ok) return;
      this.#dtmfReceived++;
      for (const event of this.#dtmfReceiver.receive(parsed.packet, arrivalMs)) this.emit('dtmf', event);
      return;
    }
    // The receiver let through only the codec's and telephone-event's payload types.
    const payloadBytes = fields.payloadEnd - fields.payloadStart;
    if (!directionReceives(negotiated.direction) || payloadBytes === 0) return;
    const arrivals = this.#arrivalList;
    if (arrivals.length === 0 && !this.#playoutOn) return;
    const codec = this.#codec!;
    const samples = codec.samplesIn(payloadBytes);
    if (this.#decoded.length !== samples) this.#decoded = new Int16Array(samples);
    const packet = this.#jitterPacket;
    codec.decodeRange(datagram, fields.payloadStart, fields.payloadEnd, this.#decoded);
    packet.payload = this.#decoded;
    packet.sequence = fields.sequenceNumber;
    packet.timestamp = fields.timestamp;
    packet.arrivalMs = arrivalMs;
    packet.ssrc = fields.ssrc;
    for (let i = 0; i < arrivals.length; i++)
      this.#deliverArrived(arrivals[i], packet.payload, fields.timestamp);
    // The jitter buffer copies the samples: the next packet is decoded into the same array.
    if (this.#playoutOn) this.#jitterBuffer.push(packet);
  }

  /** Drops a stray SSRC unless it persists (see the top of the file); our own SSRC goes on to the receiver. */
  #passesSsrcGuard(datagram: Buffer, length: number, from: TransportAddress, receiver: RtpReceiver): boolean {
    const ssrc = peekSsrc(datagram, length);
    const current = receiver.source?.ssrc;
    if (ssrc === undefined || current === undefined || ssrc === current) {
      this.#ssrcCandidate = undefined;
      this.#ssrcCandidateCount = 0;
      return true;
    }
    if (ssrc === this.#stream.ssrc) {
      if (this.#options.localRtp && sameTransportAddress(from, this.#options.localRtp)) {
        // Our own packets came back to us: a loop, not a collision; changing SSRC would not help.
        this.#sessionDrops.count('loop');
        return false;
      }
      return true;
    }
    if (this.#options.ssrcChange === 'lock') {
      this.#sessionDrops.count('wrong-ssrc');
      return false;
    }
    if (ssrc === this.#ssrcCandidate) this.#ssrcCandidateCount++;
    else {
      this.#ssrcCandidate = ssrc;
      this.#ssrcCandidateCount = 1;
    }
    if (this.#ssrcCandidateCount >= (this.#options.ssrcConfirmPackets ?? 3)) return true;
    this.#sessionDrops.count('wrong-ssrc');
    return false;
  }

  #onSsrcCollision(): void {
    const previous = this.#stream.ssrc;
    // RFC 3550 §8.2: say goodbye with the old SSRC, then continue with a new random one.
    this.#sendRtcp('BYE');
    let current = this.#randomUint32();
    while (current === previous) current = this.#randomUint32();
    this.#stream.changeSsrc(current);
    this.#receiver?.setLocalSsrc(current);
    this.emit('ssrc-changed', { previous, current });
  }

  #latchMoved(channel: 'rtp' | 'rtcp'): void {
    const rtp = this.#rtpLatch?.remote;
    const rtcp = this.#negotiated?.rtcpMux ? rtp : this.#rtcpLatch?.remote;
    if (!rtp || !rtcp) return;
    this.#top.setRemote({ rtp, rtcp });
    this.emit('remote-changed', channel === 'rtp' ? rtp : rtcp, channel);
  }

  // ---- RTCP ----------------------------------------------------------------------------------------------------

  #onRtcpTimer(): void {
    if (this.#state !== 'running') return;
    this.#sendRtcp('report');
    this.#rtcpTimer = this.#clock.setTimeout(
      () => this.#onRtcpTimer(),
      rtcpIntervalMs(this.#random, { minIntervalMs: this.#options.rtcpMinIntervalMs }),
    );
  }

  /** A compound packet (RFC 3550 §6.1): SR or RR, SDES CNAME, and a BYE when leaving or changing SSRC. */
  #sendRtcp(kind: 'report' | 'BYE'): void {
    const ssrc = this.#stream.ssrc;
    const nowMs = this.#clock.now();
    const block = this.#receiver?.source?.makeReportBlock(nowMs);
    const reportBlocks: RtcpReportBlock[] = block ? [block] : [];
    const packets: RtcpPacket[] = [
      this.#stream.statistics.takeSentSinceReport()
        ? {
            kind: 'sender-report',
            ssrc,
            sender: this.#stream.statistics.senderInfo(nowMs, this.#clock.wallNow()),
            reportBlocks,
          }
        : { kind: 'receiver-report', ssrc, reportBlocks },
      {
        kind: 'source-description',
        chunks: [{ ssrc, items: [{ type: SDES_ITEM_TYPE.CNAME, text: this.#cname }] }],
      },
    ];
    if (kind === 'BYE') packets.push({ kind: 'goodbye', ssrcs: [ssrc], reason: undefined });
    const compound = serializeRtcpCompound(packets);
    if (this.#tap?.active) this.#tapPacket('rtcp', 'sent', compound, undefined);
    this.#top.sendRtcp(compound);
    this.#rtcpSent++;
  }

  #onRtcp(datagram: Buffer, from: TransportAddress, arrivalMs: number): void {
    if (this.#tap?.active) this.#tapPacket('rtcp', 'received', datagram, from);
    if (this.#state !== 'running') return;
    const parsed = parseRtcpCompound(datagram);
    if (!parsed.ok) {
      this.#rtcpDrops.count(parsed.reason);
      return;
    }
    this.#rtcpReceived++;
    if (this.#rtcpLatch?.observe(from) && !this.#negotiated?.rtcpMux) this.#latchMoved('rtcp');
    const source = this.#receiver?.source;
    for (const packet of parsed.packets) {
      if (packet.kind === 'sender-report' && packet.ssrc === source?.ssrc) {
        source.onSenderReport(
          { seconds: packet.sender.ntpSeconds, fraction: packet.sender.ntpFraction },
          arrivalMs,
        );
      }
      if (packet.kind === 'sender-report' || packet.kind === 'receiver-report') {
        for (const block of packet.reportBlocks) {
          if (block.ssrc !== this.#stream.ssrc) continue;
          const rtt = roundTripTimeMs(
            compactNtpFromUnixMs(this.#clock.wallNow()),
            block.lastSenderReport,
            block.delaySinceLastSenderReport,
          );
          if (rtt !== undefined) {
            this.#rttMs = rtt;
            this.emit('rtt', rtt);
          }
        }
      }
      if (packet.kind === 'goodbye' && source && packet.ssrcs.includes(source.ssrc)) {
        this.emit('remote-bye', { ssrcs: packet.ssrcs, reason: packet.reason });
      }
    }
  }

  // ---- stats and inactivity ------------------------------------------------------------------------------------

  #armStats(intervalMs: number): void {
    this.#statsTimer = this.#clock.setTimeout(() => {
      if (this.#state !== 'running') return;
      if (this.listenerCount('stats') > 0) this.emit('stats', this.stats());
      this.#armStats(intervalMs);
    }, intervalMs);
  }

  #noteActivity(arrivalMs: number): void {
    const monitor = this.#inactivity;
    if (!monitor) return;
    monitor.noteActivity(arrivalMs);
    if (this.#inactiveReported) {
      this.#inactiveReported = false;
      this.emit('active');
      this.#armInactivity();
    }
  }

  #armInactivity(): void {
    const monitor = this.#inactivity!;
    this.#clock.clearTimeout(this.#inactivityTimer);
    this.#inactivityTimer = this.#clock.setTimeout(
      () => this.#onInactivityTimer(),
      monitor.deadlineMs - this.#clock.now(),
    );
  }

  #onInactivityTimer(): void {
    const monitor = this.#inactivity!;
    this.#inactivityTimer = undefined;
    if (this.#state !== 'running') return;
    const nowMs = this.#clock.now();
    // Not receiving (we hold, or inactive): the peer is not expected to send; look again a timeout later.
    if (!directionReceives(this.#negotiated!.direction)) {
      monitor.reset(nowMs);
      this.#armInactivity();
      return;
    }
    if (!monitor.isInactive(nowMs)) {
      this.#armInactivity();
      return;
    }
    this.#inactiveReported = true;
    this.emit('inactive', {
      silentForMs: monitor.silentForMs(nowMs),
      lastPacketMs: this.#receiver?.source?.snapshot().lastArrivalMs,
    });
  }
}
