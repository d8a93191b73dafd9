// Replay detection for qop credentials (RFC 7616 §3.3 and §5.5: "the server can ... detect ... replays by
// tracking nc values"). A stateless nonce proves who issued it and when, not how often it was used; this adds
// that, in bounded memory.
//
// Per nonce we keep the highest nc seen and a 32-bit window of the counts just below it, like the SRTP replay
// list (RFC 3711 §3.3.2): SIP requests that share a nonce may arrive out of order over UDP (a BYE overtaking a
// re-INVITE), so "must exceed the last nc" would refuse honest clients.
//
// Memory is bounded by evicting the least recently used nonce. Eviction must not reopen a replay window, so the
// tracker keeps a low-water mark: the latest issue time of any evicted nonce (initially the tracker's creation
// time, which also covers nonces issued before a restart with a persistent secret). A nonce that is not
// tracked and was issued at or before that mark may have been used already, so it is reported `untracked` and
// the server re-challenges with stale=true: the honest client retries with a fresh nonce at the cost of one
// round trip, and a replayer gets nothing.

import { LruMap } from '../../common/lru-map.js';

/** What the tracker thinks of one use of a nonce. */
export type NonceCountVerdict = 'accepted' | 'replayed' | 'untracked';

/** The width of the window of counts below the highest one that are still accepted once. */
export const NONCE_COUNT_WINDOW = 32;

interface NonceUse {
  readonly issuedAtMs: number;
  highestNc: number;
  /** Bit i set: count `highestNc - i` was seen. */
  seen: number;
}

export interface NonceCountTrackerOptions {
  /** How many nonces are tracked at once. */
  readonly maxNonces: number;
  /** Epoch milliseconds now; nonces issued before it are not tracked and report `untracked`. */
  readonly createdAtMs: number;
}

export class NonceCountTracker {
  readonly #uses: LruMap<string, NonceUse>;
  #lowWaterMs: number;

  constructor(options: NonceCountTrackerOptions) {
    // Nonces issued in the very millisecond of creation can only be this process's own.
    this.#lowWaterMs = options.createdAtMs - 1;
    this.#uses = new LruMap(options.maxNonces, (_nonce, use) => {
      this.#lowWaterMs = Math.max(this.#lowWaterMs, use.issuedAtMs);
    });
  }

  /** Records one use of `nonce` with count `nc` (≥ 1) and says whether it is new. */
  use(nonce: string, issuedAtMs: number, nc: number): NonceCountVerdict {
    const use = this.#uses.get(nonce);
    if (use === undefined) {
      if (issuedAtMs <= this.#lowWaterMs) return 'untracked';
      this.#uses.set(nonce, { issuedAtMs, highestNc: nc, seen: 1 });
      return 'accepted';
    }
    if (nc > use.highestNc) {
      const shift = nc - use.highestNc;
      use.seen = shift >= NONCE_COUNT_WINDOW ? 1 : ((use.seen << shift) | 1) >>> 0;
      use.highestNc = nc;
      return 'accepted';
    }
    const age = use.highestNc - nc;
    if (age >= NONCE_COUNT_WINDOW) return 'replayed';
    const bit = (1 << age) >>> 0;
    if ((use.seen & bit) !== 0) return 'replayed';
    use.seen = (use.seen | bit) >>> 0;
    return 'accepted';
  }
}
