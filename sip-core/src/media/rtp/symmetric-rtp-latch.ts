import { type TransportAddress, sameTransportAddress } from './transport-address.js';

// Symmetric RTP (RFC 4961): a peer behind NAT, or a B2BUA that moves media between its boxes, receives where it
// sends from, which may differ from the address in its SDP. The latch learns the remote address from the packets
// that passed every check (for SRTP: authentication), never from a datagram that was dropped, so a stray or forged
// packet cannot redirect our media. One latch serves RTP and another RTCP.
//
//   mode 'off'     send to the signalled address, always
//   mode 'once'    move to the source of the first accepted packet, then stay (the usual "latching")
//   mode 'follow'  like 'once', and later move again when `confirmPackets` consecutive accepted packets come from a
//                  new source (a B2BUA switching media servers mid-call)

export type LatchMode = 'off' | 'once' | 'follow';

export interface SymmetricRtpLatchOptions {
  readonly mode: LatchMode;
  /** Consecutive packets from a new source before 'follow' moves (default 3); the first latch needs one. */
  readonly confirmPackets?: number;
}

export class SymmetricRtpLatch {
  readonly #mode: LatchMode;
  readonly #confirmPackets: number;
  #remote: TransportAddress | undefined;
  #latched = false;
  #candidate: TransportAddress | undefined;
  #candidateCount = 0;

  constructor(signalled: TransportAddress | undefined, options: SymmetricRtpLatchOptions) {
    this.#mode = options.mode;
    this.#confirmPackets = Math.max(1, options.confirmPackets ?? 3);
    this.#remote = signalled;
  }

  /** Where to send now. */
  get remote(): TransportAddress | undefined {
    return this.#remote;
  }

  /** Whether the remote has been learnt from packets (rather than taken from the SDP). */
  get latched(): boolean {
    return this.#latched;
  }

  /**
   * A new signalled address (a re-INVITE moved the media): the latch starts over from it, because the peer may really
   * have moved.
   */
  resetSignalled(signalled: TransportAddress | undefined): void {
    this.#remote = signalled;
    this.#latched = false;
    this.#candidate = undefined;
    this.#candidateCount = 0;
  }

  /** Feeds the source of an accepted packet; returns true when the remote address changed. */
  observe(source: TransportAddress): boolean {
    if (this.#mode === 'off') return false;
    if (!this.#latched) {
      this.#latched = true;
      return this.#moveTo(source);
    }
    if (this.#mode === 'once' || sameTransportAddress(source, this.#remote)) {
      this.#candidate = undefined;
      this.#candidateCount = 0;
      return false;
    }
    if (sameTransportAddress(source, this.#candidate)) this.#candidateCount++;
    else {
      this.#candidate = source;
      this.#candidateCount = 1;
    }
    if (this.#candidateCount < this.#confirmPackets) return false;
    this.#candidate = undefined;
    this.#candidateCount = 0;
    return this.#moveTo(source);
  }

  #moveTo(source: TransportAddress): boolean {
    const changed = !sameTransportAddress(source, this.#remote);
    this.#remote = { address: source.address, port: source.port };
    return changed;
  }
}
