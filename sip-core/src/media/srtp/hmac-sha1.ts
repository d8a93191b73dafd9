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
  /** The running state of the block being compressed. */
  readonly #state = new Int32Array(5);
  /** The last block(s) of a message: its tail, the suffix and the padding. */
  readonly #tail = new Uint8Array(2 * BLOCK_BYTES);
  /** The digest of the last `compute`. */
  readonly #digest = new Uint8Array(DIGEST_BYTES);
  /**
   * The outer hash's only block: the inner digest, then padding that is the same for every tag (0x80, zeros, and
   * the length of K ⊕ opad ‖ inner digest, 84 octets, in bits), written once here so that a tag only fills in the
   * digest.
   */
  readonly #outerBlock = new Uint8Array(BLOCK_BYTES);

  constructor(key: Uint8Array) {
    if (key.length > BLOCK_BYTES) {
      // RFC 2104 §2: a key longer than a block is hashed first. SRTP's keys are 20 octets; kept for completeness.
      this.#startFrom(INITIAL_STATE);
      this.#finish(key, 0, key.length, undefined, 0, this.#digest);
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
    const outerBits = (BLOCK_BYTES + DIGEST_BYTES) * 8;
    this.#outerBlock[DIGEST_BYTES] = 0x80;
    this.#outerBlock[BLOCK_BYTES - 2] = outerBits >>> 8;
    this.#outerBlock[BLOCK_BYTES - 1] = outerBits & 0xff;
  }

  /**
   * Computes the tag of `message[0, length)` followed by `suffix` as a 32-bit big-endian number (SRTP's ROC), or by
   * nothing when `suffix` is undefined. The 20-octet result is `digest`, valid until the next call.
   */
  compute(message: Uint8Array, length: number, suffix: number | undefined): Uint8Array {
    this.#startFrom(this.#innerStart);
    this.#finish(message, 0, length, suffix, BLOCK_BYTES, this.#outerBlock);
    // The outer hash: one block, the inner digest and its padding (84 octets in all after K ⊕ opad).
    this.#startFrom(this.#outerStart);
    this.#compress(this.#outerBlock, 0);
    this.#writeDigest(this.#digest);
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
   * hashed already (the key block), pads, and writes the big-endian digest into `digestOut[0, 20)`.
   */
  #finish(
    data: Uint8Array,
    start: number,
    end: number,
    suffix: number | undefined,
    prefixBytes: number,
    digestOut: Uint8Array,
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
    this.#writeDigest(digestOut);
  }

  /** The state as the big-endian digest, into `digest[0, 20)`. */
  #writeDigest(digest: Uint8Array): void {
    const s = this.#state;
    for (let word = 0; word < 5; word++) {
      const value = s[word];
      digest[4 * word] = value >>> 24;
      digest[4 * word + 1] = (value >>> 16) & 0xff;
      digest[4 * word + 2] = (value >>> 8) & 0xff;
      digest[4 * word + 3] = value & 0xff;
    }
  }

  /**
   * FIPS 180-4 §6.1.2: one 64-octet block at `data[at]` into the state. The 80 rounds are written out (generated
   * by the script in docs/adr/0066) so that the five working variables are renamed from round to round instead of
   * moved, and the message schedule lives in sixteen locals, W[t] being computed in place of W[t − 16] when round t
   * needs it (§6.1.3's alternative method): V8 keeps it all in registers, where the loop form read and wrote an
   * 80-word array. About a quarter of the tag's cost (docs/adr/0066).
   */
  #compress(data: Uint8Array, at: number): void {
    const s = this.#state;
    let a = s[0];
    let b = s[1];
    let c = s[2];
    let d = s[3];
    let e = s[4];
    let x: number;
    let w0 = (data[at + 0] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3];
    let w1 = (data[at + 4] << 24) | (data[at + 5] << 16) | (data[at + 6] << 8) | data[at + 7];
    let w2 = (data[at + 8] << 24) | (data[at + 9] << 16) | (data[at + 10] << 8) | data[at + 11];
    let w3 = (data[at + 12] << 24) | (data[at + 13] << 16) | (data[at + 14] << 8) | data[at + 15];
    let w4 = (data[at + 16] << 24) | (data[at + 17] << 16) | (data[at + 18] << 8) | data[at + 19];
    let w5 = (data[at + 20] << 24) | (data[at + 21] << 16) | (data[at + 22] << 8) | data[at + 23];
    let w6 = (data[at + 24] << 24) | (data[at + 25] << 16) | (data[at + 26] << 8) | data[at + 27];
    let w7 = (data[at + 28] << 24) | (data[at + 29] << 16) | (data[at + 30] << 8) | data[at + 31];
    let w8 = (data[at + 32] << 24) | (data[at + 33] << 16) | (data[at + 34] << 8) | data[at + 35];
    let w9 = (data[at + 36] << 24) | (data[at + 37] << 16) | (data[at + 38] << 8) | data[at + 39];
    let w10 = (data[at + 40] << 24) | (data[at + 41] << 16) | (data[at + 42] << 8) | data[at + 43];
    let w11 = (data[at + 44] << 24) | (data[at + 45] << 16) | (data[at + 46] << 8) | data[at + 47];
    let w12 = (data[at + 48] << 24) | (data[at + 49] << 16) | (data[at + 50] << 8) | data[at + 51];
    let w13 = (data[at + 52] << 24) | (data[at + 53] << 16) | (data[at + 54] << 8) | data[at + 55];
    let w14 = (data[at + 56] << 24) | (data[at + 57] << 16) | (data[at + 58] << 8) | data[at + 59];
    let w15 = (data[at + 60] << 24) | (data[at + 61] << 16) | (data[at + 62] << 8) | data[at + 63];
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + K0 + w0) | 0;
    b = (b << 30) | (b >>> 2);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + K0 + w1) | 0;
    a = (a << 30) | (a >>> 2);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + K0 + w2) | 0;
    e = (e << 30) | (e >>> 2);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + K0 + w3) | 0;
    d = (d << 30) | (d >>> 2);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + K0 + w4) | 0;
    c = (c << 30) | (c >>> 2);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + K0 + w5) | 0;
    b = (b << 30) | (b >>> 2);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + K0 + w6) | 0;
    a = (a << 30) | (a >>> 2);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + K0 + w7) | 0;
    e = (e << 30) | (e >>> 2);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + K0 + w8) | 0;
    d = (d << 30) | (d >>> 2);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + K0 + w9) | 0;
    c = (c << 30) | (c >>> 2);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + K0 + w10) | 0;
    b = (b << 30) | (b >>> 2);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + K0 + w11) | 0;
    a = (a << 30) | (a >>> 2);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + K0 + w12) | 0;
    e = (e << 30) | (e >>> 2);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + K0 + w13) | 0;
    d = (d << 30) | (d >>> 2);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + K0 + w14) | 0;
    c = (c << 30) | (c >>> 2);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + K0 + w15) | 0;
    b = (b << 30) | (b >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + K0 + w0) | 0;
    a = (a << 30) | (a >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + K0 + w1) | 0;
    e = (e << 30) | (e >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + K0 + w2) | 0;
    d = (d << 30) | (d >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + K0 + w3) | 0;
    c = (c << 30) | (c >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K1 + w4) | 0;
    b = (b << 30) | (b >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K1 + w5) | 0;
    a = (a << 30) | (a >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K1 + w6) | 0;
    e = (e << 30) | (e >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K1 + w7) | 0;
    d = (d << 30) | (d >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K1 + w8) | 0;
    c = (c << 30) | (c >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K1 + w9) | 0;
    b = (b << 30) | (b >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K1 + w10) | 0;
    a = (a << 30) | (a >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K1 + w11) | 0;
    e = (e << 30) | (e >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K1 + w12) | 0;
    d = (d << 30) | (d >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K1 + w13) | 0;
    c = (c << 30) | (c >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K1 + w14) | 0;
    b = (b << 30) | (b >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K1 + w15) | 0;
    a = (a << 30) | (a >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K1 + w0) | 0;
    e = (e << 30) | (e >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K1 + w1) | 0;
    d = (d << 30) | (d >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K1 + w2) | 0;
    c = (c << 30) | (c >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K1 + w3) | 0;
    b = (b << 30) | (b >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K1 + w4) | 0;
    a = (a << 30) | (a >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K1 + w5) | 0;
    e = (e << 30) | (e >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K1 + w6) | 0;
    d = (d << 30) | (d >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K1 + w7) | 0;
    c = (c << 30) | (c >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + K2 + w8) | 0;
    b = (b << 30) | (b >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + K2 + w9) | 0;
    a = (a << 30) | (a >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + K2 + w10) | 0;
    e = (e << 30) | (e >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + K2 + w11) | 0;
    d = (d << 30) | (d >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + K2 + w12) | 0;
    c = (c << 30) | (c >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + K2 + w13) | 0;
    b = (b << 30) | (b >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + K2 + w14) | 0;
    a = (a << 30) | (a >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + K2 + w15) | 0;
    e = (e << 30) | (e >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + K2 + w0) | 0;
    d = (d << 30) | (d >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + K2 + w1) | 0;
    c = (c << 30) | (c >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + K2 + w2) | 0;
    b = (b << 30) | (b >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + K2 + w3) | 0;
    a = (a << 30) | (a >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + K2 + w4) | 0;
    e = (e << 30) | (e >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + K2 + w5) | 0;
    d = (d << 30) | (d >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + K2 + w6) | 0;
    c = (c << 30) | (c >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + K2 + w7) | 0;
    b = (b << 30) | (b >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + K2 + w8) | 0;
    a = (a << 30) | (a >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + K2 + w9) | 0;
    e = (e << 30) | (e >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + K2 + w10) | 0;
    d = (d << 30) | (d >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + K2 + w11) | 0;
    c = (c << 30) | (c >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K3 + w12) | 0;
    b = (b << 30) | (b >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K3 + w13) | 0;
    a = (a << 30) | (a >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K3 + w14) | 0;
    e = (e << 30) | (e >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K3 + w15) | 0;
    d = (d << 30) | (d >>> 2);
    x = w13 ^ w8 ^ w2 ^ w0;
    w0 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K3 + w0) | 0;
    c = (c << 30) | (c >>> 2);
    x = w14 ^ w9 ^ w3 ^ w1;
    w1 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K3 + w1) | 0;
    b = (b << 30) | (b >>> 2);
    x = w15 ^ w10 ^ w4 ^ w2;
    w2 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K3 + w2) | 0;
    a = (a << 30) | (a >>> 2);
    x = w0 ^ w11 ^ w5 ^ w3;
    w3 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K3 + w3) | 0;
    e = (e << 30) | (e >>> 2);
    x = w1 ^ w12 ^ w6 ^ w4;
    w4 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K3 + w4) | 0;
    d = (d << 30) | (d >>> 2);
    x = w2 ^ w13 ^ w7 ^ w5;
    w5 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K3 + w5) | 0;
    c = (c << 30) | (c >>> 2);
    x = w3 ^ w14 ^ w8 ^ w6;
    w6 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K3 + w6) | 0;
    b = (b << 30) | (b >>> 2);
    x = w4 ^ w15 ^ w9 ^ w7;
    w7 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K3 + w7) | 0;
    a = (a << 30) | (a >>> 2);
    x = w5 ^ w0 ^ w10 ^ w8;
    w8 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K3 + w8) | 0;
    e = (e << 30) | (e >>> 2);
    x = w6 ^ w1 ^ w11 ^ w9;
    w9 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K3 + w9) | 0;
    d = (d << 30) | (d >>> 2);
    x = w7 ^ w2 ^ w12 ^ w10;
    w10 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K3 + w10) | 0;
    c = (c << 30) | (c >>> 2);
    x = w8 ^ w3 ^ w13 ^ w11;
    w11 = (x << 1) | (x >>> 31);
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K3 + w11) | 0;
    b = (b << 30) | (b >>> 2);
    x = w9 ^ w4 ^ w14 ^ w12;
    w12 = (x << 1) | (x >>> 31);
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + K3 + w12) | 0;
    a = (a << 30) | (a >>> 2);
    x = w10 ^ w5 ^ w15 ^ w13;
    w13 = (x << 1) | (x >>> 31);
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + K3 + w13) | 0;
    e = (e << 30) | (e >>> 2);
    x = w11 ^ w6 ^ w0 ^ w14;
    w14 = (x << 1) | (x >>> 31);
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + K3 + w14) | 0;
    d = (d << 30) | (d >>> 2);
    x = w12 ^ w7 ^ w1 ^ w15;
    w15 = (x << 1) | (x >>> 31);
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + K3 + w15) | 0;
    c = (c << 30) | (c >>> 2);
    s[0] = (s[0] + a) | 0;
    s[1] = (s[1] + b) | 0;
    s[2] = (s[2] + c) | 0;
    s[3] = (s[3] + d) | 0;
    s[4] = (s[4] + e) | 0;
  }
}
