import { randomInt } from 'node:crypto';
import { MediaSessionError } from './media-session-error.js';

// RTP/RTCP port pairs from a configured range (Zentrunk's media range is 10000–30000, BEHAVIOUR.md §2.1). RTP gets
// an even port and RTCP the odd one above it (RFC 3550 §11: "RTP SHOULD use an even destination port number and
// the corresponding RTCP stream SHOULD use the next higher (odd) destination port number"); the pair is reserved
// even under rtcp-mux, because an answer may decline mux (RFC 5761 §5.1.1).
//
// The allocator remembers the pairs this process holds and never hands one out twice. Other processes are only
// found out by binding: the caller's `bind` fails with EADDRINUSE (or EACCES) and the allocator tries another pair,
// each time a new random one so that parallel processes rarely collide, up to `maxAttempts` times.
//
// The free pairs are a list picked from at random and put back into in constant time (FreePairs), not a scan of the
// range for the next pair not held: near a full range that scan walked thousands of held pairs per call, and an
// emulator falling behind its load (calls longer, the range filling) spent a quarter of its time there.

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
  readonly #free: FreePairs;

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
    this.#free = new FreePairs(this.pairCount);
  }

  /** How many RTP/RTCP pairs the range holds. */
  get pairCount(): number {
    return Math.max(0, Math.floor((this.maxPort - 1 - this.minPort) / 2) + 1);
  }

  /** Pairs held by this process now. */
  get inUse(): number {
    return this.pairCount - this.#free.size;
  }

  /**
   * Finds a free pair and binds it with `bind(rtpPort, rtcpPort)`, which must release whatever it bound before
   * rejecting. Resolves with the lease and what `bind` returned.
   */
  async allocate<T>(
    bind: (rtpPort: number, rtcpPort: number) => Promise<T>,
  ): Promise<{ lease: RtpPortLease; bound: T }> {
    // Pairs another process turned out to hold stay out of the free list until this allocation ends, so that no
    // pair is tried twice in it; they go back afterwards (the other process may let go of them).
    const conflicted: number[] = [];
    let lastError: unknown;
    try {
      for (let attempt = 0; attempt < this.#maxAttempts && this.#free.size > 0; attempt++) {
        const pair = this.#free.takeAt(randomInt(this.#free.size));
        const rtpPort = this.minPort + 2 * pair;
        try {
          const bound = await bind(rtpPort, rtpPort + 1);
          return { lease: new HeldPortPair(rtpPort, pair, this.#free), bound };
        } catch (error) {
          if (!BIND_CONFLICTS.has((error as NodeJS.ErrnoException).code ?? '')) {
            this.#free.put(pair);
            throw error;
          }
          conflicted.push(pair);
          lastError = error;
        }
      }
    } finally {
      for (const pair of conflicted) this.#free.put(pair);
    }
    throw new MediaSessionError(
      'MEDIA_PORTS_EXHAUSTED',
      `No free RTP/RTCP port pair in ${this.minPort}-${this.maxPort} (${this.inUse} held by this process); ` +
        'widen the media port range or end some calls.',
      { cause: lastError },
    );
  }
}

/**
 * The pairs (by index in the range) not held by this process, in no order: `takeAt` removes the one at a position
 * by moving the last into its place, `put` appends. A pair is in the list at most once (`put` of a pair already in
 * it is ignored), so a lease released twice cannot make a pair free twice.
 */
class FreePairs {
  readonly #pairs: Int32Array;
  /** Where each pair sits in `#pairs`, or −1 while it is held. */
  readonly #positions: Int32Array;
  #size: number;

  constructor(count: number) {
    this.#pairs = new Int32Array(count);
    this.#positions = new Int32Array(count);
    for (let pair = 0; pair < count; pair++) {
      this.#pairs[pair] = pair;
      this.#positions[pair] = pair;
    }
    this.#size = count;
  }

  get size(): number {
    return this.#size;
  }

  takeAt(position: number): number {
    const pair = this.#pairs[position];
    const last = this.#pairs[--this.#size];
    this.#pairs[position] = last;
    this.#positions[last] = position;
    this.#positions[pair] = -1;
    return pair;
  }

  put(pair: number): void {
    if (this.#positions[pair] !== -1) return;
    this.#pairs[this.#size] = pair;
    this.#positions[pair] = this.#size++;
  }
}

/**
 * A lease is held for the whole of a call, so it is an instance of a class, not an object literal with a `release`
 * closure: the method lives once on the prototype, whereas a closure per lease costs its context and (under tsx,
 * whose esbuild keeps function names by redefining `name`) a property dictionary — about 350 bytes per call.
 */
class HeldPortPair implements RtpPortLease {
  readonly rtpPort: number;
  readonly #pair: number;
  #free: FreePairs | undefined;

  constructor(rtpPort: number, pair: number, free: FreePairs) {
    this.rtpPort = rtpPort;
    this.#pair = pair;
    this.#free = free;
  }

  get rtcpPort(): number {
    return this.rtpPort + 1;
  }

  release(): void {
    this.#free?.put(this.#pair);
    this.#free = undefined;
  }
}
