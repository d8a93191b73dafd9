import { randomInt } from 'node:crypto';
import { MediaSessionError } from './media-session-error.js';

// RTP/RTCP port pairs from a configured range (Zentrunk's media range is 10000–30000, BEHAVIOUR.md §2.1). RTP gets
// an even port and RTCP the odd one above it (RFC 3550 §11: "RTP SHOULD use an even destination port number and
// the corresponding RTCP stream SHOULD use the next higher (odd) destination port number"); the pair is reserved
// even under rtcp-mux, because an answer may decline mux (RFC 5761 §5.1.1).
//
// The allocator remembers the pairs this process holds and never hands one out twice. Other processes are only
// found out by binding: the caller's `bind` fails with EADDRINUSE (or EACCES) and the allocator tries another pair,
// each time from a new random one so that parallel processes rarely collide, up to `maxAttempts` times.

export interface RtpPortRange {
  /** Lowest port of the range (inclusive; rounded up to even). Default 10000. */
  readonly minPort?: number;
  /** Highest port of the range (inclusive; RTCP must fit, so the last RTP port is maxPort − 1). Default 30000. */
  readonly maxPort?: number;
}

/** A reserved pair; `release` gives it back (idempotent). */
export interface RtpPortLease {
  readonly rtpPort: number;
  readonly rtcpPort: number;
  release(): void;
}

const BIND_CONFLICTS = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL']);

export class RtpPortAllocator {
  readonly minPort: number;
  readonly maxPort: number;
  readonly #maxAttempts: number;
  readonly #inUse = new Set<number>();

  constructor(range: RtpPortRange & { maxAttempts?: number } = {}) {
    const minPort = range.minPort ?? 10_000;
    const maxPort = range.maxPort ?? 30_000;
    this.minPort = minPort + (minPort % 2);
    this.maxPort = maxPort;
    if (!(Number.isInteger(minPort) && Number.isInteger(maxPort) && minPort >= 1024 && maxPort <= 65_535)) {
      throw new MediaSessionError(
        'MEDIA_INVALID_OPTION',
        `The RTP port range must lie within 1024-65535, got ${minPort}-${maxPort}.`,
      );
    }
    if (this.pairCount < 1) {
      throw new MediaSessionError(
        'MEDIA_INVALID_OPTION',
        `The RTP port range ${minPort}-${maxPort} holds no even port with its odd neighbour.`,
      );
    }
    this.#maxAttempts = range.maxAttempts ?? 32;
  }

  /** How many RTP/RTCP pairs the range holds. */
  get pairCount(): number {
    return Math.max(0, Math.floor((this.maxPort - 1 - this.minPort) / 2) + 1);
  }

  /** Pairs held by this process now. */
  get inUse(): number {
    return this.#inUse.size;
  }

  /**
   * Finds a free pair and binds it with `bind(rtpPort, rtcpPort)`, which must release whatever it bound before
   * rejecting. Resolves with the lease and what `bind` returned.
   */
  async allocate<T>(
    bind: (rtpPort: number, rtcpPort: number) => Promise<T>,
  ): Promise<{ lease: RtpPortLease; bound: T }> {
    const tried = new Set<number>();
    let candidate = randomInt(this.pairCount);
    let lastError: unknown;
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const rtpPort = this.#firstFreeFrom(candidate, tried);
      if (rtpPort === undefined) break;
      tried.add(rtpPort);
      this.#inUse.add(rtpPort);
      try {
        const bound = await bind(rtpPort, rtpPort + 1);
        return { lease: this.#lease(rtpPort), bound };
      } catch (error) {
        this.#inUse.delete(rtpPort);
        if (!BIND_CONFLICTS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        lastError = error;
        // Another process holds this pair, and probably a block around it (a neighbour's calls, a test's sockets):
        // the next try starts at a new random pair rather than the next one, or a block wider than `maxAttempts`
        // would exhaust the attempts although most of the range is free.
        candidate = randomInt(this.pairCount);
      }
    }
    throw new MediaSessionError(
      'MEDIA_PORTS_EXHAUSTED',
      `No free RTP/RTCP port pair in ${this.minPort}-${this.maxPort} (${this.#inUse.size} held by this process); ` +
        'widen the media port range or end some calls.',
      { cause: lastError },
    );
  }

  /** The first RTP port from pair `candidate` on (wrapping) that this process neither holds nor tried already. */
  #firstFreeFrom(candidate: number, tried: ReadonlySet<number>): number | undefined {
    const pairs = this.pairCount;
    for (let scanned = 0; scanned < pairs; scanned++) {
      const rtpPort = this.minPort + 2 * ((candidate + scanned) % pairs);
      if (!this.#inUse.has(rtpPort) && !tried.has(rtpPort)) return rtpPort;
    }
    return undefined;
  }

  #lease(rtpPort: number): RtpPortLease {
    return new HeldPortPair(rtpPort, this.#inUse);
  }
}

/**
 * A lease is held for the whole of a call, so it is an instance of a class, not an object literal with a `release`
 * closure: the method lives once on the prototype, whereas a closure per lease costs its context and (under tsx,
 * whose esbuild keeps function names by redefining `name`) a property dictionary — about 350 bytes per call.
 */
class HeldPortPair implements RtpPortLease {
  readonly rtpPort: number;
  #inUse: Set<number> | undefined;

  constructor(rtpPort: number, inUse: Set<number>) {
    this.rtpPort = rtpPort;
    this.#inUse = inUse;
  }

  get rtcpPort(): number {
    return this.rtpPort + 1;
  }

  release(): void {
    this.#inUse?.delete(this.rtpPort);
    this.#inUse = undefined;
  }
}
