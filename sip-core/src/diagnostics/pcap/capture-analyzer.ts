// Finds the calls in a capture: every UDP datagram and reassembled TCP stream whose bytes start like SIP is parsed,
// messages are grouped into calls by Call-ID, and RTP/RTCP streams are counted — matched to calls through the SDP
// ports they were negotiated on, or recognised by their shape (RTP version 2, one SSRC, consecutive sequence
// numbers) when no SDP announced them. Streaming: packets are pushed one at a time; only SIP messages and
// per-stream counters are kept, both bounded.

import { parseSipMessage, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import type { SocketAddress } from '../../sip/transport/index.js';
import type { LadderMessageInput } from '../ladder/ladder-input.js';
import { summarizeSdp } from '../ladder/sdp-summary.js';
import { formatEndpoint } from '../ladder/sip-ladder.js';
import type { CaptureFileFormat, CapturedPacket } from './capture-file-parser.js';
import { decodePacket } from './decode-packet.js';
import { looksLikeSipMessage } from './sip-sniffer.js';
import { TcpSipReassembler, type TcpReassemblyCounters } from './tcp-sip-reassembler.js';

export interface CapturedSipMessage extends LadderMessageInput {
  readonly message: SipRequest | SipResponse;
  /** The packet comment (pcapng), e.g. the writer's "TLS, shown decrypted". */
  readonly comment?: string;
}

export interface RtpStreamSummary {
  readonly kind: 'rtp' | 'rtcp';
  readonly source: SocketAddress;
  readonly destination: SocketAddress;
  /** RTP only. */
  readonly ssrc?: number;
  readonly payloadType?: number;
  readonly packets: number;
  readonly firstMs: number;
  readonly lastMs: number;
  /** `sdp`: an SDP of the capture announced one of its ends; `heuristic`: recognised by its shape only. */
  readonly matchedBy: 'sdp' | 'heuristic';
  readonly callId?: string;
}

export interface CapturedCall {
  readonly callId: string;
  readonly messages: readonly CapturedSipMessage[];
  readonly rtpStreams: readonly RtpStreamSummary[];
}

export interface CaptureAnalysis {
  readonly format: CaptureFileFormat | undefined;
  readonly packets: number;
  readonly calls: readonly CapturedCall[];
  /** SIP messages without a Call-ID (they belong to no call). */
  readonly orphanMessages: number;
  readonly rtpStreams: readonly RtpStreamSummary[];
  /** Packets that were not SIP or RTP, or could not be used, by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  readonly tcp: Readonly<TcpReassemblyCounters>;
}

/** Messages kept at most; beyond, SIP is counted as skipped (`sip-limit`). */
const MAX_SIP_MESSAGES = 200_000;
/** Media streams tracked at most. */
const MAX_MEDIA_STREAMS = 20_000;
/** Packets a stream without an SDP needs, mostly in sequence, to count as RTP. */
const HEURISTIC_MIN_PACKETS = 5;
const RTP_VERSION = 2;

interface StreamState {
  kind: 'rtp' | 'rtcp';
  source: SocketAddress;
  destination: SocketAddress;
  ssrc?: number;
  payloadType?: number;
  packets: number;
  inSequence: number;
  lastSequence?: number;
  firstMs: number;
  lastMs: number;
}

export class CaptureAnalyzer {
  #packets = 0;
  #format: CaptureFileFormat | undefined;
  readonly #skipped: Record<string, number> = {};
  readonly #reassembler = new TcpSipReassembler();
  readonly #calls = new Map<string, CapturedSipMessage[]>();
  #messageCount = 0;
  #orphans = 0;
  readonly #streams = new Map<string, StreamState>();
  /** `address:port` of every SDP media (and RTCP) end seen → the Call-ID that announced it. */
  readonly #sdpEnds = new Map<string, string>();

  /** Tells the analysis which file format the packets came from (for the report). */
  setFormat(format: CaptureFileFormat | undefined): void {
    this.#format = format;
  }

  push(packet: CapturedPacket): void {
    this.#packets++;
    const decoded = decodePacket(packet.linkType, packet.data);
    if (!decoded.ok) {
      this.#skip(decoded.reason);
      return;
    }
    const segment = decoded.segment;
    if (segment.protocol === 'tcp') {
      for (const message of this.#reassembler.push({ ...segment, timestampMs: packet.timestampMs })) {
        this.#addSip(
          message.bytes,
          'tcp',
          message.source,
          message.destination,
          message.timestampMs,
          packet.comment,
        );
      }
      return;
    }
    if (looksLikeSipMessage(segment.payload)) {
      this.#addSip(
        segment.payload,
        'udp',
        segment.source,
        segment.destination,
        packet.timestampMs,
        packet.comment,
      );
      return;
    }
    this.#addMedia(segment.payload, segment.source, segment.destination, packet.timestampMs);
  }

  finish(): CaptureAnalysis {
    const streams = [...this.#streams.values()]
      .map((s) => this.#summarise(s))
      .filter((s): s is RtpStreamSummary => s !== undefined);
    const calls = [...this.#calls].map(([callId, messages]) => ({
      callId,
      messages,
      rtpStreams: streams.filter((s) => s.callId === callId),
    }));
    return {
      format: this.#format,
      packets: this.#packets,
      calls,
      orphanMessages: this.#orphans,
      rtpStreams: streams,
      skipped: { ...this.#skipped },
      tcp: { ...this.#reassembler.counters },
    };
  }

  #skip(reason: string): void {
    this.#skipped[reason] = (this.#skipped[reason] ?? 0) + 1;
  }

  #addSip(
    bytes: Uint8Array,
    transport: 'udp' | 'tcp',
    source: SocketAddress,
    destination: SocketAddress,
    timestampMs: number,
    comment: string | undefined,
  ): void {
    if (this.#messageCount >= MAX_SIP_MESSAGES) {
      this.#skip('sip-limit');
      return;
    }
    let message: SipRequest | SipResponse;
    try {
      message = parseSipMessage(bytes, { framing: transport === 'udp' ? 'datagram' : 'stream' });
    } catch {
      this.#skip('sip-parse-error');
      return;
    }
    const callId = message.callId;
    if (!callId) {
      this.#orphans++;
      return;
    }
    // Our writer carries TLS and TCP messages as UDP and says so in a comment: the ladder shows the real transport.
    const wireTransport = comment?.includes('SIP over TLS')
      ? 'tls'
      : comment?.includes('SIP over TCP')
        ? 'tcp'
        : transport;
    const captured: CapturedSipMessage = {
      timestampMs,
      source,
      destination,
      transport: wireTransport,
      bytes: Buffer.from(bytes),
      message,
      ...(comment !== undefined ? { comment } : {}),
    };
    let call = this.#calls.get(callId);
    if (call === undefined) {
      call = [];
      this.#calls.set(callId, call);
    }
    call.push(captured);
    this.#messageCount++;
    this.#noteSdp(message, callId);
  }

  #noteSdp(message: SipRequest | SipResponse, callId: string): void {
    if (
      message.body.length === 0 ||
      message.headers.get('Content-Type')?.toLowerCase().includes('sdp') !== true
    ) {
      return;
    }
    const sdp = summarizeSdp(message.body.toString('utf8'));
    if (sdp?.address === undefined || sdp.port === 0) return;
    this.#sdpEnds.set(formatEndpoint({ address: sdp.address, port: sdp.port }), callId);
    this.#sdpEnds.set(formatEndpoint({ address: sdp.address, port: sdp.rtcpPort }), callId);
  }

  #addMedia(
    payload: Uint8Array,
    source: SocketAddress,
    destination: SocketAddress,
    timestampMs: number,
  ): void {
    if (payload.length < 8 || payload[0] >> 6 !== RTP_VERSION) {
      this.#skip('not-sip-or-rtp');
      return;
    }
    const second = payload[1];
    // RFC 5761 §4: RTCP packet types 192–223 occupy the marker bit plus payload types 64–95.
    const isRtcp = second >= 192 && second <= 223;
    if (!isRtcp && payload.length < 12) {
      this.#skip('not-sip-or-rtp');
      return;
    }
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const ssrc = isRtcp ? undefined : view.getUint32(8);
    const key = `${formatEndpoint(source)}>${formatEndpoint(destination)}>${isRtcp ? 'rtcp' : ssrc}`;
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      if (this.#streams.size >= MAX_MEDIA_STREAMS) {
        this.#skip('media-stream-limit');
        return;
      }
      stream = {
        kind: isRtcp ? 'rtcp' : 'rtp',
        source,
        destination,
        ...(ssrc !== undefined ? { ssrc, payloadType: second & 0x7f } : {}),
        packets: 0,
        inSequence: 0,
        firstMs: timestampMs,
        lastMs: timestampMs,
      };
      this.#streams.set(key, stream);
    }
    stream.packets++;
    stream.lastMs = timestampMs;
    if (!isRtcp) {
      const sequence = view.getUint16(2);
      if (stream.lastSequence !== undefined && ((sequence - stream.lastSequence) & 0xffff) === 1) {
        stream.inSequence++;
      }
      stream.lastSequence = sequence;
    }
  }

  #summarise(stream: StreamState): RtpStreamSummary | undefined {
    const callId =
      this.#sdpEnds.get(formatEndpoint(stream.destination)) ??
      this.#sdpEnds.get(formatEndpoint(stream.source));
    if (callId === undefined) {
      // Without an SDP, only a stream that looks like RTP throughout counts: a few random datagrams with the
      // version bits set (DNS, QUIC, games) must not become "media".
      const plausible =
        stream.kind === 'rtp' &&
        stream.packets >= HEURISTIC_MIN_PACKETS &&
        stream.inSequence >= 0.8 * (stream.packets - 1);
      if (!plausible) {
        this.#skip(stream.kind === 'rtp' ? 'not-sip-or-rtp' : 'unmatched-rtcp');
        return undefined;
      }
    }
    return {
      kind: stream.kind,
      source: stream.source,
      destination: stream.destination,
      ...(stream.ssrc !== undefined ? { ssrc: stream.ssrc, payloadType: stream.payloadType! } : {}),
      packets: stream.packets,
      firstMs: stream.firstMs,
      lastMs: stream.lastMs,
      matchedBy: callId !== undefined ? 'sdp' : 'heuristic',
      ...(callId !== undefined ? { callId } : {}),
    };
  }
}
