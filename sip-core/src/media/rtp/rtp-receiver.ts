import { DropCounters } from './drop-counters.js';
import {
  type RtpHeaderFields,
  type RtpPacket,
  type RtpParseDropReason,
  parseRtpPacket,
  readRtpHeader,
} from './rtp-packet.js';
import { RtpReceptionStatistics, type RtpReceptionSnapshot } from './rtp-reception-statistics.js';
import { SymmetricRtpLatch, type SymmetricRtpLatchOptions } from './symmetric-rtp-latch.js';
import type { TransportAddress } from './transport-address.js';

// The receive side of one RTP stream as a pure processor: datagram (already SRTP-unprotected when the call is
// secure) + source address + arrival time in, accepted packet or drop reason out. It parses, applies the SSRC
// policy, updates the RFC 3550 statistics and feeds the symmetric-RTP latch. Nothing here throws on bad input and
// nothing here owns a socket or a timer.
//
// SSRC policy. A remote SSRC change is normal with B2BUAs (Zentrunk's FreeSWITCH may switch streams after a
// re-INVITE or transfer), so the default 'follow' adopts the new source and starts fresh statistics; 'lock' drops
// every other SSRC. A packet carrying our own sending SSRC is a collision or a loop (RFC 3550 §8.2): it is dropped and
// reported so that the session can pick a new SSRC.

export type RtpReceiveDropReason =
  RtpParseDropReason | 'wrong-ssrc' | 'ssrc-collision' | 'unknown-payload-type';
export type SsrcChangePolicy = 'follow' | 'lock';

export interface RtpReceiverOptions {
  readonly clockRateHz: number;
  readonly maxPacketBytes?: number;
  readonly ssrcChange?: SsrcChangePolicy;
  /** The remote SSRC announced in signalling (a=ssrc); packets from any other SSRC are dropped. */
  readonly expectedSsrc?: number;
  /** Payload types negotiated for this stream; others are dropped. Undefined accepts every type. */
  readonly payloadTypes?: readonly number[];
  /** Payload types whose timestamps do not track sending time (telephone-event): kept out of the jitter. */
  readonly eventPayloadTypes?: readonly number[];
  /** A.1 probation; see RtpReceptionStatistics. */
  readonly minSequential?: number;
  /** Symmetric RTP; without it the receiver never suggests a remote address. */
  readonly latch?: SymmetricRtpLatchOptions & { readonly signalled?: TransportAddress };
}

export type RtpReceiveResult =
  | {
      readonly accepted: true;
      readonly packet: RtpPacket;
      /** A.1 validity (false during probation or for a suspicious jump); the packet is delivered either way. */
      readonly valid: boolean;
      /** True when this packet started a new source (first packet, or an SSRC change under 'follow'). */
      readonly newSource: boolean;
      /** Set when the latch moved: send to this address from now on. */
      readonly remoteChanged: TransportAddress | undefined;
    }
  | { readonly accepted: false; readonly reason: RtpReceiveDropReason };

/** Sources replaced under 'follow' whose statistics are kept for diagnostics. */
const PREVIOUS_SOURCES_KEPT = 4;

export class RtpReceiver {
  readonly drops = new DropCounters<RtpReceiveDropReason>();
  readonly #options: RtpReceiverOptions;
  readonly #payloadTypes: ReadonlySet<number> | undefined;
  readonly #eventPayloadTypes: ReadonlySet<number>;
  readonly #latch: SymmetricRtpLatch | undefined;
  #source: RtpReceptionStatistics | undefined;
  #previous: RtpReceptionStatistics[] = [];
  #localSsrc: number | undefined;
  /** What `#admit` learnt about the last accepted packet, for `receive`'s result. */
  #lastValid = false;
  #lastNewSource = false;
  #lastMoved = false;

  constructor(options: RtpReceiverOptions) {
    this.#options = options;
    this.#payloadTypes = options.payloadTypes ? new Set(options.payloadTypes) : undefined;
    this.#eventPayloadTypes = new Set(options.eventPayloadTypes ?? []);
    this.#latch = options.latch ? new SymmetricRtpLatch(options.latch.signalled, options.latch) : undefined;
  }

  /** Our own sending SSRC, for collision detection. */
  setLocalSsrc(ssrc: number | undefined): void {
    this.#localSsrc = ssrc;
  }

  /** The latch, when symmetric RTP is on (its `remote` is where to send). */
  get latch(): SymmetricRtpLatch | undefined {
    return this.#latch;
  }

  /** Statistics of the current source. */
  get source(): RtpReceptionStatistics | undefined {
    return this.#source;
  }

  /** Snapshots of sources replaced by an SSRC change, oldest first. */
  previousSources(): RtpReceptionSnapshot[] {
    return this.#previous.map((s) => s.snapshot());
  }

  receive(data: Uint8Array, from: TransportAddress, arrivalMs: number): RtpReceiveResult {
    const parsed = parseRtpPacket(data, { maxPacketBytes: this.#options.maxPacketBytes });
    if (!parsed.ok) return this.#drop(parsed.reason);
    const packet = parsed.packet;
    const reason = this.#admit(packet, packet.payload.length, from, arrivalMs);
    if (reason !== undefined) return { accepted: false, reason };
    return {
      accepted: true,
      packet,
      valid: this.#lastValid,
      newSource: this.#lastNewSource,
      remoteChanged: this.#lastMoved ? this.#latch?.remote : undefined,
    };
  }

  /**
   * `receive` for the per-packet path: reads the header into `fields` (the caller's, reused) instead of building a
   * packet, and returns undefined when the packet is accepted or the drop reason (counted in `drops`). Allocates
   * nothing. The A.1 validity and the latch outcome of `receive` are not reported. The packet is `data[0, length)`.
   */
  receiveInto(
    data: Uint8Array,
    from: TransportAddress,
    arrivalMs: number,
    fields: RtpHeaderFields,
    length = data.length,
  ): RtpReceiveDropReason | undefined {
    const parsed = readRtpHeader(data, fields, this.#options.maxPacketBytes, length);
    if (parsed !== undefined) {
      this.drops.count(parsed);
      return parsed;
    }
    return this.#admit(fields, fields.payloadEnd - fields.payloadStart, from, arrivalMs);
  }

  /** SSRC policy, payload types, statistics and latch for a parsed packet; counts and returns a drop reason. */
  #admit(
    packet: Pick<RtpHeaderFields, 'ssrc' | 'payloadType' | 'sequenceNumber' | 'timestamp'>,
    payloadBytes: number,
    from: TransportAddress,
    arrivalMs: number,
  ): RtpReceiveDropReason | undefined {
    if (packet.ssrc === this.#localSsrc) return this.#dropReason('ssrc-collision');
    if (this.#options.expectedSsrc !== undefined && packet.ssrc !== this.#options.expectedSsrc) {
      return this.#dropReason('wrong-ssrc');
    }
    if (this.#payloadTypes && !this.#payloadTypes.has(packet.payloadType)) {
      return this.#dropReason('unknown-payload-type');
    }

    let newSource = false;
    if (this.#source?.ssrc !== packet.ssrc) {
      if (this.#source && this.#options.ssrcChange === 'lock') return this.#dropReason('wrong-ssrc');
      if (this.#source) {
        this.#previous.push(this.#source);
        if (this.#previous.length > PREVIOUS_SOURCES_KEPT) this.#previous.shift();
      }
      this.#source = new RtpReceptionStatistics(packet.ssrc, {
        clockRateHz: this.#options.clockRateHz,
        minSequential: this.#options.minSequential,
      });
      newSource = true;
    }

    this.#lastValid = this.#source.onPacket(
      packet.sequenceNumber,
      packet.timestamp,
      arrivalMs,
      payloadBytes,
      !this.#eventPayloadTypes.has(packet.payloadType),
    );
    this.#lastNewSource = newSource;
    this.#lastMoved = this.#latch?.observe(from) ?? false;
    return undefined;
  }

  #dropReason(reason: RtpReceiveDropReason): RtpReceiveDropReason {
    this.drops.count(reason);
    return reason;
  }

  #drop(reason: RtpReceiveDropReason): RtpReceiveResult {
    this.drops.count(reason);
    return { accepted: false, reason };
  }
}
