// Writes a call's capture as it happens: SIP from the trace (UDP as it was; TCP and TLS messages as UDP datagrams
// with the real addresses and ports, so that Wireshark dissects them, marked in a packet comment) and RTP/RTCP from
// the media sessions' packet taps (SRTP exported decrypted, marked too). Packets carry synthetic IPv4/IPv6 + UDP
// headers with valid checksums on LINKTYPE_RAW.
//
// Timestamps: each source's wall clock is read once, at its first record; later records add their monotonic offset
// to it, so that packets keep sub-millisecond order even though `Date.now()` has millisecond steps (and cannot go
// backwards when the wall clock is adjusted mid-call).

import type { Disposable } from '../../common/disposable.js';
import type { MediaPacketRecord } from '../../media/session/index.js';
import type { SipTrace, TraceMessageRecord } from '../../sip/trace/index.js';
import type { SocketAddress } from '../../sip/transport/index.js';
import type { StoredSipMessage } from '../../store/index.js';
import { buildIpUdpPacket, MAX_UDP_PAYLOAD_BYTES } from './ip-udp-packet.js';
import { LINKTYPE } from './link-types.js';
import { PcapEncoder, type PcapFormat } from './pcap-encoder.js';
import { PcapError } from './pcap-error.js';
import type { PcapSink } from './pcap-sink.js';

export interface PcapRecorderOptions {
  /** Default `pcapng` (packet comments); `pcap` for tools that read nothing else. */
  readonly format?: PcapFormat;
  /** Written into the pcapng section header, e.g. `Trunkline 0.1.0`. */
  readonly application?: string;
  /**
   * Keep the SRTP master keys of `a=crypto` lines in the exported SIP. Default false: they are replaced by `X`s of
   * the same length (Content-Length stays right), because the media is exported decrypted anyway and a capture is
   * a file people attach to tickets.
   */
  readonly keepSdpKeys?: boolean;
}

/** Anything with a `tapPackets` method: a `MediaSession`. */
export interface MediaPacketSource {
  tapPackets(listener: (record: MediaPacketRecord) => void): Disposable;
}

/** The SIP a recorder accepts: a live trace record or a stored message. */
export type SipRecordInput = Pick<
  TraceMessageRecord | StoredSipMessage,
  'wallTimeMs' | 'monotonicTimeMs' | 'direction' | 'transport' | 'local' | 'remote' | 'bytes'
> & { readonly retransmission?: true };

interface TimeAnchor {
  readonly wallTimeMs: number;
  readonly monotonicTimeMs: number;
}

/** When a source's monotonic offset and its wall clock disagree by more than this, the wall clock is used. */
const CLOCK_DISAGREEMENT_MS = 1000;

export class PcapRecorder implements Disposable {
  readonly #sink: PcapSink;
  readonly #encoder: PcapEncoder;
  readonly #subscriptions: Disposable[] = [];
  #sipAnchor: TimeAnchor | undefined;
  #mediaAnchor: TimeAnchor | undefined;
  #identification = 0;
  #closed = false;
  #packets = 0;
  #nextComment: string | undefined;
  readonly #keepSdpKeys: boolean;

  constructor(sink: PcapSink, options: PcapRecorderOptions = {}) {
    this.#sink = sink;
    this.#keepSdpKeys = options.keepSdpKeys === true;
    this.#encoder = new PcapEncoder({
      format: options.format ?? 'pcapng',
      linkType: LINKTYPE.RAW,
      ...(options.application !== undefined ? { application: options.application } : {}),
    });
    sink.write(this.#encoder.header());
  }

  /** Packets written so far. */
  get packets(): number {
    return this.#packets;
  }

  /** Records every SIP message `trace` publishes from now on, until disposed or closed. */
  recordSipTrace(trace: SipTrace): Disposable {
    const subscription = trace.subscribe((record) => {
      if (record.kind === 'message') this.writeSip(record);
    });
    this.#subscriptions.push(subscription);
    return subscription;
  }

  /** Records every RTP/RTCP packet of `session` from now on, in plaintext. */
  recordMedia(session: MediaPacketSource): Disposable {
    const subscription = session.tapPackets((record) => this.writeMedia(record));
    this.#subscriptions.push(subscription);
    return subscription;
  }

  /** Writes one SIP message (a trace record or a message read back from the store). */
  writeSip(record: SipRecordInput): void {
    const { source, destination } = orient(record);
    const notes: string[] = [];
    if (record.transport === 'tls') {
      notes.push('SIP over TLS, shown decrypted and carried as UDP with the real addresses and ports');
    } else if (record.transport === 'tcp') {
      notes.push('SIP over TCP, one framed message carried as UDP with the real addresses and ports');
    }
    if (record.retransmission === true) notes.push('retransmission');
    const bytes = this.#keepSdpKeys ? record.bytes : maskSdpKeys(record.bytes);
    if (bytes !== record.bytes) notes.push('SRTP keys in the SDP masked');
    this.#anchor('sip', record);
    this.#write(this.#timestamp('sip', record), source, destination, bytes, notes);
  }

  /** Writes one RTP or RTCP packet from a media tap. */
  writeMedia(record: MediaPacketRecord): void {
    const { source, destination } = orient(record);
    const notes = record.srtp
      ? [`${record.kind === 'rtp' ? 'SRTP' : 'SRTCP'}, exported decrypted (the wire carried it encrypted)`]
      : [];
    this.#anchor('media', record);
    this.#write(this.#timestamp('media', record), source, destination, record.bytes, notes);
  }

  /**
   * Puts `comment` on the next packet written, before its own notes: a marker such as "check auth starts", so
   * that one file holding several exchanges shows where each begins. A later call before any packet replaces it.
   */
  annotateNext(comment: string): void {
    this.#nextComment = comment;
  }

  /** Stops recording and finishes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    await this.#sink.close();
  }

  dispose(): void {
    void this.close().catch(() => undefined);
  }

  #anchor(kind: 'sip' | 'media', record: TimeAnchor): void {
    if (kind === 'sip') this.#sipAnchor ??= record;
    else this.#mediaAnchor ??= record;
  }

  #timestamp(kind: 'sip' | 'media', record: TimeAnchor): number {
    const anchor = (kind === 'sip' ? this.#sipAnchor : this.#mediaAnchor)!;
    const fromMonotonic = anchor.wallTimeMs + (record.monotonicTimeMs - anchor.monotonicTimeMs);
    return Math.abs(fromMonotonic - record.wallTimeMs) > CLOCK_DISAGREEMENT_MS
      ? record.wallTimeMs
      : fromMonotonic;
  }

  #write(
    timestampMs: number,
    source: SocketAddress,
    destination: SocketAddress,
    payload: Uint8Array,
    notes: string[],
  ): void {
    if (this.#closed) return;
    if (payload.length > MAX_UDP_PAYLOAD_BYTES) {
      notes.push(
        `cut to ${MAX_UDP_PAYLOAD_BYTES} of ${payload.length} bytes (one UDP datagram cannot hold more)`,
      );
    }
    let packet: Uint8Array;
    try {
      packet = buildIpUdpPacket(source, destination, payload, this.#identification++);
    } catch (error) {
      // An address that is not IP (an in-memory test transport) cannot be written; the call goes on.
      if (error instanceof PcapError) return;
      throw error;
    }
    const comments = [
      ...(this.#nextComment !== undefined ? [this.#nextComment] : []),
      ...(notes.length > 0 ? [`Trunkline: ${notes.join('; ')}`] : []),
    ];
    this.#nextComment = undefined;
    this.#sink.write(
      this.#encoder.packet({
        timestampMs,
        data: packet,
        ...(comments.length > 0 ? { comment: comments.join(' | ') } : {}),
      }),
    );
    this.#packets++;
  }
}

const CRYPTO_MARKER = Buffer.from('a=crypto:', 'latin1');
/** RFC 4568 §9.1: `inline:` key-salt, up to a `|` lifetime or MKI, a `;` next key, or white space. */
const INLINE_KEY = /(inline:)([^|;\s]+)/g;

/** The message with every SDES inline key replaced by `X`s of the same length; the same object when it has none. */
export function maskSdpKeys(bytes: Uint8Array): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.includes(CRYPTO_MARKER)) return bytes;
  // latin1 maps bytes one to one, so lengths (and Content-Length) are unchanged.
  const text = buffer
    .toString('latin1')
    .replace(/^a=crypto:.*$/gm, (line) =>
      line.replace(INLINE_KEY, (_m, p: string, key: string) => p + 'X'.repeat(key.length)),
    );
  return Buffer.from(text, 'latin1');
}

function orient(record: {
  readonly direction: 'sent' | 'received';
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
}): { source: SocketAddress; destination: SocketAddress } {
  return record.direction === 'sent'
    ? { source: record.local, destination: record.remote }
    : { source: record.remote, destination: record.local };
}
