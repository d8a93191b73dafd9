// Extends the wrapping counters of RTP (the 16-bit sequence number and the 32-bit timestamp, RFC 3550 §5.1)
// to plain numbers that keep increasing, so ordering and arithmetic need no modular care downstream. A value
// is placed at the extension nearest to the last one seen, which is right as long as consecutive values are
// within half the counter's range of each other (32768 packets, or 3 days of 8 kHz timestamps).

/** Unwraps values of a `bits`-bit counter (16 for sequence numbers, 32 for timestamps). */
export class CounterUnwrapper {
  readonly #modulus: number;
  // A number field that never holds `undefined` (whether a value was seen is its own flag): V8 then keeps the
  // timestamp, above 2^31, as a double updated in place, instead of a new heap number on every packet.
  #last = 0;
  #started = false;

  constructor(bits: 16 | 32) {
    this.#modulus = 2 ** bits;
  }

  /** The extended value of `value` (taken modulo 2^bits), near the previous one. */
  unwrap(value: number): number {
    const wrapped = ((value % this.#modulus) + this.#modulus) % this.#modulus;
    if (!this.#started) {
      // Start one cycle up, so a value slightly before the first one stays positive.
      this.#started = true;
      this.#last = wrapped + this.#modulus;
      return this.#last;
    }
    const half = this.#modulus / 2;
    let delta = wrapped - (this.#last % this.#modulus);
    if (delta > half) delta -= this.#modulus;
    else if (delta < -half) delta += this.#modulus;
    const extended = this.#last + delta;
    // Only forward movement moves the reference, so one stray old packet cannot drag it back.
    if (delta > 0) this.#last = extended;
    return extended;
  }

  reset(): void {
    this.#started = false;
    this.#last = 0;
  }
}
