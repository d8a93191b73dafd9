import { DropCounters } from '../rtp/drop-counters.js';
import { RTP_FIXED_HEADER_BYTES, rtpHeaderLength } from '../rtp/rtp-packet.js';
import { AesCounterMode } from './aes-counter-mode.js';
import { HmacSha1 } from './hmac-sha1.js';
import { RtpKeystreamCache } from './rtp-keystream-cache.js';
import { SrtpError } from './srtp-error.js';
import { deriveSessionKeys } from './srtp-key-derivation.js';
import type { SrtpMasterKey } from './srtp-master-key.js';
import { estimateRolloverCounter, packetIndex } from './srtp-packet-index.js';
import { SRTP_PROFILES, type SrtpProfile, type SrtpProfileName } from './srtp-profile.js';
import { DEFAULT_REPLAY_WINDOW_SIZE, ReplayWindow } from './replay-window.js';

// The SRTP and SRTCP transforms of RFC 3711 for one master key, i.e. one direction of an SDES-keyed call: the
// sender protects with its own key, the receiver unprotects with the peer's (each a separate SrtpSession).
//
// SRTP packet (§3.1)                                  SRTCP packet (§3.4)
//  +----------------------------+                      +----------------------------+
//  | RTP header (clear)         |  authenticated       | RTCP header + SSRC (clear) |  authenticated
//  +----------------------------+  |                   +----------------------------+  |
//  | payload (AES-CM encrypted) |  |                   | rest (AES-CM encrypted)    |  |
//  +----------------------------+  v                   +-+--------------------------+  |
//  | auth tag (80 or 32 bits)   |                      |E| SRTCP index (31 bits)    |  v
//  +----------------------------+                      +-+--------------------------+
//                                                      | auth tag (80 bits)         |
//  HMAC input: header||payload||ROC                    +----------------------------+
//
// IV (§4.1.1), 128 bits: (k_s · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16), where the index is SRTP's 48-bit packet
// index (ROC||SEQ) or SRTCP's 31-bit index. Octets: salt in 0-13, SSRC XORed into 4-7, the index into 8-13.
//
// The receive path never throws: a packet is either returned decrypted or dropped with a counted reason. State
// (ROC, s_l, replay list) advances only after authentication (§3.3.1), so forged packets cannot move it. The
// receive path decrypts in place: the datagram buffer is ours once the socket has handed it over.
//
// Per packet, nothing is allocated but the protected output of `protectRtp` (node:dgram may keep what it sends): the
// tags come from `HmacSha1` on preallocated state, the RTP keystream from a per-stream `RtpKeystreamCache` that
// encrypts sixteen packets' counter blocks in one cipher call, and the tag is compared in place (docs/adr/0057).

export type SrtpDropReason =
  'truncated' | 'wrong-version' | 'auth-failed' | 'replayed' | 'too-old' | 'too-many-streams';

export type SrtpUnprotectResult =
  { readonly ok: true; readonly packet: Buffer } | { readonly ok: false; readonly reason: SrtpDropReason };

export interface SrtpSessionOptions {
  readonly profile: SrtpProfile | SrtpProfileName;
  readonly masterKey: SrtpMasterKey;
  /** Replay window in packets (≥ 64, a multiple of 32); an SDES WSH hint may raise it. Default 128. */
  readonly replayWindowSize?: number;
  /** Distinct SSRCs the receive side keeps state for; packets from more are dropped. Default 16. */
  readonly maxStreams?: number;
  /** The SRTCP index of the first packet sent (RFC 3711 §3.4 says 0; libSRTP and libre start at 1). */
  readonly firstSrtcpIndex?: number;
  /** The SRTCP tag length to send, when a peer needs other than the profile's (see `rtcpAuthTagBytesAccepted`). */
  readonly rtcpAuthTagBytes?: number;
}

const IV_BYTES = 16;
const IV_OFFSET_SSRC = 4;
const IV_OFFSET_SRTCP_INDEX = 10;
const RTP_OFFSET_SEQ = 2;
const RTP_OFFSET_SSRC = 8;
const RTCP_OFFSET_SSRC = 4;
/** SRTCP encrypts everything after the first header and the sender SSRC (§3.4). */
const RTCP_CLEAR_BYTES = 8;
const SRTCP_INDEX_BYTES = 4;
const SRTCP_E_FLAG = 0x8000_0000;
const SRTCP_INDEX_MASK = 0x7fff_ffff;
const DEFAULT_MAX_STREAMS = 16;

/**
 * Per-SSRC state: the SRTP crypto context's ROC, s_l and replay list, the SRTCP counterparts, and the keystream of
 * the stream's next packets.
 */
class StreamState {
  roc = 0;
  highestSeq = 0;
  readonly replay: ReplayWindow;
  nextSrtcpIndex: number;
  readonly srtcpReplay: ReplayWindow;
  readonly keystream: RtpKeystreamCache;

  constructor(windowSize: number, firstSrtcpIndex: number, keystream: RtpKeystreamCache) {
    this.replay = new ReplayWindow(windowSize);
    this.srtcpReplay = new ReplayWindow(windowSize);
    this.nextSrtcpIndex = firstSrtcpIndex;
    this.keystream = keystream;
  }
}

// One frozen result per reason: a flood of bad packets allocates nothing.
const DROPPED: Readonly<Record<SrtpDropReason, SrtpUnprotectResult>> = Object.freeze({
  truncated: Object.freeze({ ok: false, reason: 'truncated' }),
  'wrong-version': Object.freeze({ ok: false, reason: 'wrong-version' }),
  'auth-failed': Object.freeze({ ok: false, reason: 'auth-failed' }),
  replayed: Object.freeze({ ok: false, reason: 'replayed' }),
  'too-old': Object.freeze({ ok: false, reason: 'too-old' }),
  'too-many-streams': Object.freeze({ ok: false, reason: 'too-many-streams' }),
});

export class SrtpSession {
  readonly profile: SrtpProfile;
  readonly drops = new DropCounters<SrtpDropReason>();
  readonly #rtpCipher: AesCounterMode;
  readonly #rtpAuth: HmacSha1;
  readonly #rtpSalt: Buffer;
  readonly #rtcpCipher: AesCounterMode;
  readonly #rtcpAuth: HmacSha1;
  readonly #rtcpSalt: Buffer;
  readonly #windowSize: number;
  readonly #maxStreams: number;
  readonly #firstSrtcpIndex: number;
  #rtcpSendTagBytes: number;
  #rtcpReceiveTagBytes: number;
  readonly #streams = new Map<number, StreamState>();
  readonly #iv = Buffer.alloc(IV_BYTES);

  constructor(options: SrtpSessionOptions) {
    this.profile = typeof options.profile === 'string' ? SRTP_PROFILES[options.profile] : options.profile;
    const keys = deriveSessionKeys(this.profile, options.masterKey);
    this.#rtpCipher = new AesCounterMode(keys.rtp.encryptionKey);
    this.#rtpAuth = new HmacSha1(keys.rtp.authenticationKey);
    this.#rtpSalt = keys.rtp.salt;
    this.#rtcpCipher = new AesCounterMode(keys.rtcp.encryptionKey);
    this.#rtcpAuth = new HmacSha1(keys.rtcp.authenticationKey);
    this.#rtcpSalt = keys.rtcp.salt;
    // The authentication keys now live only in the HMACs' absorbed state.
    keys.rtp.authenticationKey.fill(0);
    keys.rtcp.authenticationKey.fill(0);
    this.#windowSize = options.replayWindowSize ?? DEFAULT_REPLAY_WINDOW_SIZE;
    this.#maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
    this.#firstSrtcpIndex = (options.firstSrtcpIndex ?? 0) & SRTCP_INDEX_MASK;
    this.#rtcpSendTagBytes = options.rtcpAuthTagBytes ?? this.profile.rtcpAuthTagBytes;
    this.#rtcpReceiveTagBytes = this.profile.rtcpAuthTagBytes;
    // Fail now, not on the first packet, when the window size is unusable.
    new ReplayWindow(this.#windowSize);
  }

  /** The SRTCP tag length sent; SrtpTransport aligns it with what the peer sends. */
  get rtcpSendTagBytes(): number {
    return this.#rtcpSendTagBytes;
  }

  set rtcpSendTagBytes(bytes: number) {
    if (!this.profile.rtcpAuthTagBytesAccepted.includes(bytes)) {
      throw new SrtpError(
        'SRTP_TAG_LENGTH',
        `${this.profile.name} does not allow a ${bytes}-octet SRTCP tag`,
      );
    }
    this.#rtcpSendTagBytes = bytes;
  }

  /** The SRTCP tag length of the last packet that authenticated. */
  get rtcpReceiveTagBytes(): number {
    return this.#rtcpReceiveTagBytes;
  }

  /** The rollover counter of `ssrc` (diagnostics, tests). */
  rolloverCounter(ssrc: number): number | undefined {
    return this.#streams.get(ssrc)?.roc;
  }

  /** Encrypts and authenticates one RTP packet; returns a new buffer. Throws SrtpError on a malformed packet. */
  protectRtp(packet: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(packet.length + this.profile.rtpAuthTagBytes);
    out.set(packet);
    this.protectRtpInPlace(out, packet.length);
    return out;
  }

  /**
   * Encrypts and authenticates the RTP packet in `buffer[0, length)` in place, appending the tag; `buffer` must hold
   * `length + profile.rtpAuthTagBytes` octets. Returns the SRTP packet's length. Throws SrtpError on a malformed
   * packet or a buffer without room for the tag.
   */
  protectRtpInPlace(buffer: Uint8Array, length: number): number {
    const headerBytes = rtpHeaderLength(buffer, length);
    if (typeof headerBytes === 'string') {
      throw new SrtpError('SRTP_MALFORMED_PACKET', `cannot protect an RTP packet that is ${headerBytes}`);
    }
    const tagBytes = this.profile.rtpAuthTagBytes;
    if (buffer.length < length + tagBytes) {
      throw new SrtpError(
        'SRTP_NO_ROOM_FOR_TAG',
        `the buffer has no room for the ${tagBytes}-octet SRTP tag`,
      );
    }
    const seq = (buffer[RTP_OFFSET_SEQ] << 8) | buffer[RTP_OFFSET_SEQ + 1];
    const ssrc = readUint32(buffer, RTP_OFFSET_SSRC);

    let stream = this.#streams.get(ssrc);
    let roc: number;
    if (stream === undefined) {
      stream = this.#newStream(ssrc);
      stream.highestSeq = seq;
      this.#streams.set(ssrc, stream);
      roc = 0;
    } else {
      // The sender tracks its own ROC with the same guess a receiver makes, so that a retransmitted or reordered
      // packet keeps the index it had.
      roc = Math.max(0, estimateRolloverCounter(stream.roc, stream.highestSeq, seq));
      if (packetIndex(roc, seq) > packetIndex(stream.roc, stream.highestSeq)) {
        stream.roc = roc;
        stream.highestSeq = seq;
      }
    }

    stream.keystream.xor(packetIndex(roc, seq), buffer, headerBytes, length);
    this.#rtpAuth.compute(buffer, length, roc >>> 0);
    this.#rtpAuth.writeTag(buffer, length, tagBytes);
    return length + tagBytes;
  }

  /** Authenticates, replay-checks and decrypts one SRTP packet in place; never throws. */
  unprotectRtp(packet: Buffer): SrtpUnprotectResult {
    const outcome = this.unprotectRtpInPlace(packet);
    return typeof outcome === 'number' ? { ok: true, packet: packet.subarray(0, outcome) } : DROPPED[outcome];
  }

  /**
   * Authenticates, replay-checks and decrypts the SRTP packet in `packet` in place; returns the length of the RTP
   * packet now at its start, or why it was dropped (counted in `drops`). Never throws; allocates nothing.
   */
  unprotectRtpInPlace(packet: Uint8Array): number | SrtpDropReason {
    const tagBytes = this.profile.rtpAuthTagBytes;
    const length = packet.length;
    if (length < RTP_FIXED_HEADER_BYTES + tagBytes) return this.#dropReason('truncated');
    const authEnd = length - tagBytes;
    const headerBytes = rtpHeaderLength(packet, authEnd);
    if (typeof headerBytes === 'string') {
      return this.#dropReason(headerBytes === 'wrong-version' ? 'wrong-version' : 'truncated');
    }
    const seq = (packet[RTP_OFFSET_SEQ] << 8) | packet[RTP_OFFSET_SEQ + 1];
    const ssrc = readUint32(packet, RTP_OFFSET_SSRC);

    const stream = this.#streams.get(ssrc);
    let roc = 0;
    let index = seq;
    if (stream === undefined) {
      // RFC 3711 §3.3.1: a receiver that has no state for the stream starts from ROC 0 and this SEQ.
      if (this.#streams.size >= this.#maxStreams) return this.#dropReason('too-many-streams');
    } else {
      roc = estimateRolloverCounter(stream.roc, stream.highestSeq, seq);
      if (roc < 0) return this.#dropReason('too-old');
      index = packetIndex(roc, seq);
      const replay = stream.replay.check(index);
      if (replay !== 'new') return this.#dropReason(replay);
    }

    this.#rtpAuth.compute(packet, authEnd, roc >>> 0);
    if (!this.#rtpAuth.matchesTag(packet, authEnd, tagBytes)) return this.#dropReason('auth-failed');

    let state = stream;
    if (state === undefined) {
      state = this.#newStream(ssrc);
      state.roc = roc;
      state.highestSeq = seq;
      this.#streams.set(ssrc, state);
    } else if (index > packetIndex(state.roc, state.highestSeq)) {
      state.roc = roc;
      state.highestSeq = seq;
    }
    state.keystream.xor(index, packet, headerBytes, authEnd);
    state.replay.accept(index);
    return authEnd;
  }

  /** Encrypts and authenticates one (compound) RTCP packet; returns a new buffer. Throws SrtpError when malformed. */
  protectRtcp(packet: Uint8Array): Buffer {
    if (packet.length < RTCP_CLEAR_BYTES || packet[0] >> 6 !== 2) {
      throw new SrtpError(
        'SRTP_MALFORMED_PACKET',
        'cannot protect an RTCP packet shorter than 8 octets or not version 2',
      );
    }
    const length = packet.length;
    const ssrc = readUint32(packet, RTCP_OFFSET_SSRC);
    let stream = this.#streams.get(ssrc);
    if (stream === undefined) {
      stream = this.#newStream(ssrc);
      this.#streams.set(ssrc, stream);
    }
    const index = stream.nextSrtcpIndex;
    stream.nextSrtcpIndex = (index + 1) & SRTCP_INDEX_MASK;

    const tagBytes = this.#rtcpSendTagBytes;
    const out = Buffer.allocUnsafe(length + SRTCP_INDEX_BYTES + tagBytes);
    out.set(packet);
    this.#rtcpCipher.xor(this.#rtcpIv(ssrc, index), out, RTCP_CLEAR_BYTES, length);
    out.writeUInt32BE((SRTCP_E_FLAG | index) >>> 0, length);
    const authEnd = length + SRTCP_INDEX_BYTES;
    this.#rtcpAuth.compute(out, authEnd, undefined);
    this.#rtcpAuth.writeTag(out, authEnd, tagBytes);
    return out;
  }

  /** Authenticates, replay-checks and decrypts one SRTCP packet in place; never throws. */
  unprotectRtcp(packet: Buffer): SrtpUnprotectResult {
    if (packet.length >= 1 && packet[0] >> 6 !== 2) return this.#drop('wrong-version');
    // The tag length that worked last is tried first, so a peer that cuts tags costs one HMAC per packet, not two.
    // Only a packet that failed authentication (or was too short) under it is tried with the other lengths.
    const preferred = this.#rtcpReceiveTagBytes;
    const outcome = this.#unprotectRtcpWithTag(packet, preferred);
    if (typeof outcome !== 'string') return { ok: true, packet: outcome };
    if (outcome === 'auth-failed' || outcome === 'truncated') {
      for (const tagBytes of this.profile.rtcpAuthTagBytesAccepted) {
        if (tagBytes === preferred) continue;
        const retry = this.#unprotectRtcpWithTag(packet, tagBytes);
        if (typeof retry === 'string') continue;
        this.#rtcpReceiveTagBytes = tagBytes;
        return { ok: true, packet: retry };
      }
    }
    return this.#drop(outcome);
  }

  /** One attempt with one tag length: the plain packet, or why not. Changes nothing unless it succeeds. */
  #unprotectRtcpWithTag(packet: Buffer, tagBytes: number): Buffer | SrtpDropReason {
    const length = packet.length;
    if (length < RTCP_CLEAR_BYTES + SRTCP_INDEX_BYTES + tagBytes) return 'truncated';
    const authEnd = length - tagBytes;
    const indexWord = packet.readUInt32BE(authEnd - SRTCP_INDEX_BYTES);
    const encrypted = (indexWord & SRTCP_E_FLAG) !== 0;
    const index = indexWord & SRTCP_INDEX_MASK;
    const ssrc = packet.readUInt32BE(RTCP_OFFSET_SSRC);

    const stream = this.#streams.get(ssrc);
    if (stream === undefined) {
      if (this.#streams.size >= this.#maxStreams) return 'too-many-streams';
    } else {
      const replay = stream.srtcpReplay.check(index);
      if (replay !== 'new') return replay;
    }

    this.#rtcpAuth.compute(packet, authEnd, undefined);
    if (!this.#rtcpAuth.matchesTag(packet, authEnd, tagBytes)) return 'auth-failed';

    const plainEnd = authEnd - SRTCP_INDEX_BYTES;
    // E = 0 is an authenticated but unencrypted packet (UNENCRYPTED_SRTCP); it is authentic, so it is delivered.
    if (encrypted) this.#rtcpCipher.xor(this.#rtcpIv(ssrc, index), packet, RTCP_CLEAR_BYTES, plainEnd);
    let state = stream;
    if (state === undefined) {
      state = this.#newStream(ssrc);
      this.#streams.set(ssrc, state);
    }
    state.srtcpReplay.accept(index);
    return packet.subarray(0, plainEnd);
  }

  #newStream(ssrc: number): StreamState {
    const keystream = new RtpKeystreamCache(this.#rtpCipher, this.#rtpSalt, ssrc);
    return new StreamState(this.#windowSize, this.#firstSrtcpIndex, keystream);
  }

  #rtcpIv(ssrc: number, index: number): Buffer {
    const iv = this.#iv;
    iv.fill(0);
    iv.set(this.#rtcpSalt, 0);
    xorUint32(iv, IV_OFFSET_SSRC, ssrc);
    xorUint32(iv, IV_OFFSET_SRTCP_INDEX, index);
    return iv;
  }

  #drop(reason: SrtpDropReason): SrtpUnprotectResult {
    this.drops.count(reason);
    return DROPPED[reason];
  }

  #dropReason(reason: SrtpDropReason): SrtpDropReason {
    this.drops.count(reason);
    return reason;
  }
}

function readUint32(data: Uint8Array, offset: number): number {
  return ((data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3]) >>> 0;
}

function xorUint32(target: Buffer, offset: number, value: number): void {
  target[offset] = target[offset] ^ (value >>> 24);
  target[offset + 1] = target[offset + 1] ^ ((value >>> 16) & 0xff);
  target[offset + 2] = target[offset + 2] ^ ((value >>> 8) & 0xff);
  target[offset + 3] = target[offset + 3] ^ (value & 0xff);
}
