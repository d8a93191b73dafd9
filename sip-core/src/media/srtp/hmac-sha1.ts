// HMAC-SHA1 (RFC 2104 over SHA-1, FIPS 180-4 §6.1) for SRTP's per-packet tags (RFC 3711 §4.2.1), written to
// allocate nothing per packet. node:crypto's `createHmac` builds a native-backed object for every tag, and each of
// those is a weak handle that the next young-generation collection must visit and finalise: at 25,000 tags per
// second that, not the hashing, made the scavenges long (docs/adr/0057). Here the key is absorbed once: the SHA-1
// states after the padded key blocks K ⊕ ipad and K ⊕ opad are kept, so a tag costs the message's blocks plus one
// outer block, all on preallocated arrays. SHA-1 is additions, rotations and bitwise logic only — no table indexed
// by secret data — so the JavaScript code has no cache-timing channel to worry about.
//
//   tag = SHA-1( (K ⊕ opad) ‖ SHA-1( (K ⊕ ipad) ‖ message ‖ suffix ) )      K zero-padded to 64 octets
//          outer state kept ─┘        inner state kept ─┘          └ SRTP's ROC (4 octets), or none for SRTCP
//
// One SHA-1 block is 64 octets read as sixteen big-endian 32-bit words; padding appends 0x80, zeros, and the message
// length in bits as a 64-bit big-endian number, so that the total is a multiple of 64 octets (FIPS 180-4 §5.1.1).

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 20;
const LENGTH_FIELD_OFFSET = 56;
const IPAD = 0x36;
const OPAD = 0x5c;
/** FIPS 180-4 §5.3.1: the initial hash value. */
const INITIAL_STATE = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0] as const;
/** FIPS 180-4 §4.2.1: one constant per group of twenty rounds. */
const K0 = 0x5a827999;
const K1 = 0x6ed9eba1;
const K2 = 0x8f1bbcdc;
const K3 = 0xca62c1d6;

/** An HMAC-SHA1 key, ready to tag many messages. Not safe for concurrent use (there is none in JavaScript). */
export class HmacSha1 {
  /** SHA-1 state after the block K ⊕ ipad, and after K ⊕ opad. */
  readonly #innerStart = new Int32Array(5);
  readonly #outerStart = new Int32Array(5);
  /** The running state and the message schedule of the block being compressed. */
  readonly #state = new Int32Array(5);
  readonly #schedule = new Int32Array(80);
  /** The last block(s) of a message: its tail, the suffix and the padding. */
  readonly #tail = new Uint8Array(2 * BLOCK_BYTES);
  /** The digest of the last `compute`. */
  readonly #digest = new Uint8Array(DIGEST_BYTES);

  constructor(key: Uint8Array) {
    if (key.length > BLOCK_BYTES) {
      // RFC 2104 §2: a key longer than a block is hashed first. SRTP's keys are 20 octets; kept for completeness.
      this.#startFrom(INITIAL_STATE);
      this.#finish(key, 0, key.length, undefined, 0);
      key = this.#digest.slice();
    }
    const pad = new Uint8Array(BLOCK_BYTES);
    for (const [target, byte] of [
      [this.#innerStart, IPAD],
      [this.#outerStart, OPAD],
    ] as const) {
      pad.fill(byte);
      for (let i = 0; i < key.length; i++) pad[i] = key[i] ^ byte;
      this.#startFrom(INITIAL_STATE);
      this.#compress(pad, 0);
      target.set(this.#state);
    }
    pad.fill(0);
    this.#digest.fill(0);
  }

  /**
   * Computes the tag of `message[0, length)` followed by `suffix` as a 32-bit big-endian number (SRTP's ROC), or by
   * nothing when `suffix` is undefined. The 20-octet result is `digest`, valid until the next call.
   */
  compute(message: Uint8Array, length: number, suffix: number | undefined): Uint8Array {
    this.#startFrom(this.#innerStart);
    this.#finish(message, 0, length, suffix, BLOCK_BYTES);
    // The outer hash: one block, the inner digest and its padding (84 octets in all after K ⊕ opad).
    this.#startFrom(this.#outerStart);
    this.#finish(this.#digest, 0, DIGEST_BYTES, undefined, BLOCK_BYTES);
    return this.#digest;
  }

  /** The digest of the last `compute` (20 octets), valid until the next call. */
  get digest(): Uint8Array {
    return this.#digest;
  }

  /** Writes the first `tagBytes` octets of the last digest into `target` at `offset`. */
  writeTag(target: Uint8Array, offset: number, tagBytes: number): void {
    const digest = this.#digest;
    for (let i = 0; i < tagBytes; i++) target[offset + i] = digest[i];
  }

  /**
   * Whether `target[offset, offset + tagBytes)` equals the first `tagBytes` octets of the last digest, in time that
   * does not depend on where they differ (a forger must not learn how much of a tag was right).
   */
  matchesTag(target: Uint8Array, offset: number, tagBytes: number): boolean {
    const digest = this.#digest;
    let difference = 0;
    for (let i = 0; i < tagBytes; i++) difference |= target[offset + i] ^ digest[i];
    return difference === 0;
  }

  #startFrom(state: ArrayLike<number>): void {
    const s = this.#state;
    s[0] = state[0];
    s[1] = state[1];
    s[2] = state[2];
    s[3] = state[3];
    s[4] = state[4];
  }

  /**
   * Hashes `data[start, end)` and the optional 4-octet suffix from the current state, `prefixBytes` having been
   * hashed already (the key block), pads, and leaves the big-endian digest in `#digest`.
   */
  #finish(
    data: Uint8Array,
    start: number,
    end: number,
    suffix: number | undefined,
    prefixBytes: number,
  ): void {
    let at = start;
    for (; end - at >= BLOCK_BYTES; at += BLOCK_BYTES) this.#compress(data, at);
    const tail = this.#tail;
    let used = end - at;
    for (let i = 0; i < used; i++) tail[i] = data[at + i];
    if (suffix !== undefined) {
      tail[used] = suffix >>> 24;
      tail[used + 1] = (suffix >>> 16) & 0xff;
      tail[used + 2] = (suffix >>> 8) & 0xff;
      tail[used + 3] = suffix & 0xff;
      used += 4;
    }
    const totalBits = (prefixBytes + end - start + (suffix === undefined ? 0 : 4)) * 8;
    tail[used++] = 0x80;
    // One block if the length field still fits after the 0x80 octet, else two.
    const blocks = used <= LENGTH_FIELD_OFFSET ? 1 : 2;
    const lengthAt = (blocks - 1) * BLOCK_BYTES + LENGTH_FIELD_OFFSET;
    tail.fill(0, used, lengthAt + 4);
    // The bit length's high 32 bits are zero for any message below 512 MiB; the low 32 bits follow.
    tail[lengthAt + 4] = totalBits >>> 24;
    tail[lengthAt + 5] = (totalBits >>> 16) & 0xff;
    tail[lengthAt + 6] = (totalBits >>> 8) & 0xff;
    tail[lengthAt + 7] = totalBits & 0xff;
    this.#compress(tail, 0);
    if (blocks === 2) this.#compress(tail, BLOCK_BYTES);
    const s = this.#state;
    const digest = this.#digest;
    for (let word = 0; word < 5; word++) {
      const value = s[word];
      digest[4 * word] = value >>> 24;
      digest[4 * word + 1] = (value >>> 16) & 0xff;
      digest[4 * word + 2] = (value >>> 8) & 0xff;
      digest[4 * word + 3] = value & 0xff;
    }
  }

  /** FIPS 180-4 §6.1.2: one 64-octet block at `data[at]` into the state. */
  #compress(data: Uint8Array, at: number): void {
    const w = this.#schedule;
    for (let t = 0; t < 16; t++) {
      const i = at + 4 * t;
      w[t] = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
    }
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
      w[t] = (x << 1) | (x >>> 31);
    }
    const s = this.#state;
    let a = s[0];
    let b = s[1];
    let c = s[2];
    let d = s[3];
    let e = s[4];
    // Four groups of twenty rounds, each with its own logical function (§4.1.1): Ch, Parity, Maj, Parity.
    let t = 0;
    for (; t < 20; t++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + K0 + w[t]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (; t < 40; t++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K1 + w[t]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (; t < 60; t++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + K2 + w[t]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (; t < 80; t++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K3 + w[t]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    s[0] = (s[0] + a) | 0;
    s[1] = (s[1] + b) | 0;
    s[2] = (s[2] + c) | 0;
    s[3] = (s[3] + d) | 0;
    s[4] = (s[4] + e) | 0;
  }
}
