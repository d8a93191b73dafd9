// The replay list of RFC 3711 §3.3.2 as a sliding bitmap: a packet index is accepted once, and only if it is newer
// than the highest index seen minus the window size. The RFC asks for at least 64 packets; the default of 128
// (libsrtp's) tolerates more reordering. Indices are SRTP's 48-bit packet index or SRTCP's 31-bit index, both exact
// in a JavaScript number.
//
//   highest − size            highest
//        |<------- window ------->|
//   too old | seen? (bit per index) | new: accepted, slides the window

export type ReplayCheck = 'new' | 'replayed' | 'too-old';

export const MIN_REPLAY_WINDOW_SIZE = 64;
export const DEFAULT_REPLAY_WINDOW_SIZE = 128;

export class ReplayWindow {
  readonly size: number;
  readonly #bits: Uint32Array;
  #highest = -1;

  constructor(size = DEFAULT_REPLAY_WINDOW_SIZE) {
    if (!Number.isInteger(size) || size < MIN_REPLAY_WINDOW_SIZE || size % 32 !== 0) {
      throw new RangeError(`the replay window must be a multiple of 32 of at least 64 packets, got ${size}`);
    }
    this.size = size;
    this.#bits = new Uint32Array(size / 32);
  }

  /** The highest index accepted so far, or −1. */
  get highest(): number {
    return this.#highest;
  }

  /** Whether `index` may be accepted; does not change the window (authentication comes in between). */
  check(index: number): ReplayCheck {
    if (index > this.#highest) return 'new';
    if (this.#highest - index >= this.size) return 'too-old';
    return this.#isSet(index) ? 'replayed' : 'new';
  }

  /** Marks `index` as received, sliding the window forward when it is the new highest. */
  accept(index: number): void {
    if (index > this.#highest) {
      const advance = index - this.#highest;
      if (advance >= this.size || this.#highest < 0) this.#bits.fill(0);
      else for (let i = this.#highest + 1; i < index; i++) this.#clear(i);
      this.#highest = index;
      this.#clear(index);
    } else if (this.#highest - index >= this.size) {
      return;
    }
    this.#set(index);
  }

  // The bit of `index` is bit (position & 31) of word (position >>> 5), position = index mod size. Computed in each
  // method rather than returned as a pair: a pair would be an array allocated twice per packet.

  #isSet(index: number): boolean {
    const position = index % this.size;
    return (this.#bits[position >>> 5] & (1 << (position & 31))) !== 0;
  }

  #set(index: number): void {
    const position = index % this.size;
    this.#bits[position >>> 5] |= 1 << (position & 31);
  }

  #clear(index: number): void {
    const position = index % this.size;
    this.#bits[position >>> 5] &= ~(1 << (position & 31));
  }
}
