import type { Disposable } from '../../common/disposable.js';
import { toError } from '../../common/errors.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import { DropCounters } from '../rtp/drop-counters.js';
import type { RtpRemote, RtpTransport, RtpTransportEvents } from '../rtp/rtp-transport.js';
import type { TransportAddress } from '../rtp/transport-address.js';
import type { SrtpMasterKey } from './srtp-master-key.js';
import type { SrtpProfileName } from './srtp-profile.js';
import { SrtpSession, type SrtpDropReason } from './srtp-session.js';

// SRTP as a transport adapter (pjmedia's transport_srtp, baresip's menc): to the stream above it is an RtpTransport
// that carries plain RTP and RTCP; to the transport below it is a stream that sends and receives SRTP and SRTCP.
// Inbound packets that fail authentication or the replay check are counted here and never reach the stream, so the
// stream's statistics and the symmetric-RTP latch only ever see authentic packets.

export interface SrtpKeying {
  readonly profile: SrtpProfileName;
  /** Our key: what we protect with (the key in our a=crypto). */
  readonly sendKey: SrtpMasterKey;
  /** The peer's key: what we unprotect with (the key in its a=crypto). */
  readonly receiveKey: SrtpMasterKey;
  /** Replay window (the peer's WSH hint, if larger than ours). */
  readonly replayWindowSize?: number;
}

export interface SrtpTransportOptions extends SrtpKeying {
  /** Whether disposing this transport disposes the one it wraps (default true: it took ownership). */
  readonly disposeInner?: boolean;
}

/**
 * An authenticated, decrypted RTP packet where it was decrypted: `datagram[0, length)`; the octets after it are the
 * checked tag. Valid only during the call.
 */
export type UnprotectedRtpListener = (
  datagram: Buffer,
  length: number,
  from: TransportAddress,
  arrivalMs: number,
) => void;

export class SrtpTransport extends TypedEmitter<RtpTransportEvents> implements RtpTransport {
  /** Inbound SRTP packets dropped, by reason. Kept across rekeying. */
  readonly rtpDrops = new DropCounters<SrtpDropReason>();
  /** Inbound SRTCP packets dropped, by reason. */
  readonly rtcpDrops = new DropCounters<SrtpDropReason>();
  readonly #inner: RtpTransport;
  readonly #subscriptions: Disposable[];
  readonly #disposeInner: boolean;
  #outbound: SrtpSession;
  #inbound: SrtpSession;
  #disposed = false;
  #inPlaceListener: UnprotectedRtpListener | undefined;

  constructor(inner: RtpTransport, options: SrtpTransportOptions) {
    super();
    this.#inner = inner;
    this.#disposeInner = options.disposeInner ?? true;
    [this.#outbound, this.#inbound] = SrtpTransport.#sessions(options);
    this.#subscriptions = [
      inner.on('rtp', (packet, from, arrivalMs) => this.#receiveRtp(packet, from, arrivalMs)),
      inner.on('rtcp', (packet, from, arrivalMs) => this.#receiveRtcp(packet, from, arrivalMs)),
      inner.on('error', (error) => this.emit('error', error)),
    ];
  }

  static #sessions(keying: SrtpKeying): [SrtpSession, SrtpSession] {
    const common = { profile: keying.profile, replayWindowSize: keying.replayWindowSize };
    return [
      new SrtpSession({ ...common, masterKey: keying.sendKey }),
      new SrtpSession({ ...common, masterKey: keying.receiveKey }),
    ];
  }

  /** New keys from a re-INVITE (RFC 4568 §7.1.4): fresh crypto contexts, so ROC and replay state start over. */
  rekey(keying: SrtpKeying): void {
    [this.#outbound, this.#inbound] = SrtpTransport.#sessions(keying);
  }

  /** SRTCP tag lengths in use: what the peer's packets carried last, and what we send (diagnostics). */
  get srtcpTagBytes(): { readonly received: number; readonly sent: number } {
    return { received: this.#inbound.rtcpReceiveTagBytes, sent: this.#outbound.rtcpSendTagBytes };
  }

  get remote(): RtpRemote | undefined {
    return this.#inner.remote;
  }

  setRemote(remote: RtpRemote | undefined): void {
    this.#inner.setRemote(remote);
  }

  sendRtp(packet: Uint8Array): void {
    if (this.#disposed) return;
    // Protect throws only for a packet our own code built wrongly; it is reported as an 'error' event so that a
    // pacing timer is not torn down by it. (Inline rather than through a closure: this runs for every packet.)
    try {
      this.#inner.sendRtp(this.#outbound.protectRtp(packet));
    } catch (error) {
      this.#reportError(error);
    }
  }

  sendRtcp(packet: Uint8Array): void {
    if (this.#disposed) return;
    try {
      this.#inner.sendRtcp(this.#outbound.protectRtcp(packet));
    } catch (error) {
      this.#reportError(error);
    }
  }

  #reportError(error: unknown): void {
    this.emit('error', toError(error));
  }

  /**
   * The media session's receive path: each RTP packet that passed authentication and the replay check, given as
   * the datagram it was decrypted in and the packet's length rather than as a view without the tag — a view per
   * packet is garbage 50 times a second per call (docs/adr/0155). One listener; the 'rtp' event still carries a
   * view to anyone who listens to it, and costs nothing when nobody does.
   */
  onUnprotectedRtp(listener: UnprotectedRtpListener): Disposable {
    this.#inPlaceListener = listener;
    return {
      dispose: () => {
        if (this.#inPlaceListener === listener) this.#inPlaceListener = undefined;
      },
    };
  }

  #receiveRtp(packet: Buffer, from: TransportAddress, arrivalMs: number): void {
    const outcome = this.#inbound.unprotectRtpInPlace(packet);
    if (typeof outcome !== 'number') {
      this.rtpDrops.count(outcome);
      return;
    }
    this.#inPlaceListener?.(packet, outcome, from, arrivalMs);
    if (this.listenerCount('rtp') > 0) this.emit('rtp', packet.subarray(0, outcome), from, arrivalMs);
  }

  #receiveRtcp(packet: Buffer, from: TransportAddress, arrivalMs: number): void {
    const result = this.#inbound.unprotectRtcp(packet);
    if (!result.ok) {
      this.rtcpDrops.count(result.reason);
      return;
    }
    // A peer that cuts SRTCP tags to 32 bits with the _32 suite (libre) expects the same from us.
    if (this.#outbound.rtcpSendTagBytes !== this.#inbound.rtcpReceiveTagBytes) {
      this.#outbound.rtcpSendTagBytes = this.#inbound.rtcpReceiveTagBytes;
    }
    this.emit('rtcp', result.packet, from, arrivalMs);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#inPlaceListener = undefined;
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.removeAllListeners();
    if (this.#disposeInner) this.#inner.dispose();
  }
}
