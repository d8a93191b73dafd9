import { AES_BLOCK_BYTES, type AesCounterMode } from './aes-counter-mode.js';

// The AES-CM keystream of the next few packets of one SRTP stream, computed in one cipher call. A call to
// node:crypto costs far more than the AES it runs (≈ 0.8 µs for the ten blocks of a G.711 packet, ≈ 0.1 µs per
// packet when sixteen packets' blocks go in one call) and returns a new buffer each time; packets of a stream come
// with consecutive indices, so the keystream of indices i … i + 15 is computed when i is first needed, and the next
// fifteen packets only XOR. A packet outside the run (reordered from before it, or a jump) starts a new run at its
// own index. Nothing here depends on the packet's content: the receive path asks only once a packet has
// authenticated, so forged packets cannot make it compute.
//
// Counter blocks (RFC 3711 §4.1.1), for packet index i = 2^16 · ROC + SEQ and block j of the packet:
//
//   octet   0 ……………… 3 | 4 ……… 7 | 8 ………… 11 | 12 … 13 | 14 … 15
//           salt            salt⊕SSRC  salt⊕ROC     salt⊕SEQ   j (the salt's low 16 bits are zero: k_s · 2^16)

const IV_OFFSET_SSRC = 4;
const IV_OFFSET_ROC = 8;
const IV_OFFSET_SEQ = 12;
const IV_OFFSET_BLOCK = 14;
const SEQ_MOD = 0x1_0000;
/** Packets per cipher call: 16 × 10 blocks of G.711 is 2.5 KiB of keystream per stream. */
export const DEFAULT_PACKETS_PER_RUN = 16;

export class RtpKeystreamCache {
  readonly #cipher: AesCounterMode;
  /** The IV with the salt and the SSRC in place and the index still zero. */
  readonly #baseIv = new Uint8Array(AES_BLOCK_BYTES);
  readonly #packetsPerRun: number;
  #blocksPerPacket = 0;
  /** The index of the run's first packet, or −1 before the first run. */
  #firstIndex = -1;
  #keystream: Uint8Array = new Uint8Array(0);
  #counters: Uint8Array = new Uint8Array(0);

  constructor(
    cipher: AesCounterMode,
    salt: Uint8Array,
    ssrc: number,
    packetsPerRun = DEFAULT_PACKETS_PER_RUN,
  ) {
    this.#cipher = cipher;
    this.#packetsPerRun = packetsPerRun;
    this.#baseIv.set(salt.subarray(0, IV_OFFSET_BLOCK));
    xorUint32(this.#baseIv, IV_OFFSET_SSRC, ssrc);
  }

  /** XORs the keystream of packet `index` into `data[start, end)`: encryption and decryption alike. */
  xor(index: number, data: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length <= 0) return;
    const blocks = Math.ceil(length / AES_BLOCK_BYTES);
    const slot = index - this.#firstIndex;
    if (this.#firstIndex < 0 || slot < 0 || slot >= this.#packetsPerRun || blocks > this.#blocksPerPacket) {
      this.#refill(index, Math.max(blocks, this.#blocksPerPacket));
    }
    const stream = this.#keystream;
    const at = (index - this.#firstIndex) * this.#blocksPerPacket * AES_BLOCK_BYTES;
    for (let i = 0; i < length; i++) data[start + i] ^= stream[at + i];
  }

  #refill(firstIndex: number, blocksPerPacket: number): void {
    const runBytes = this.#packetsPerRun * blocksPerPacket * AES_BLOCK_BYTES;
    const base = this.#baseIv;
    if (this.#counters.length !== runBytes) {
      // A new layout: every block gets the salt, the SSRC and its block number, which no later run changes.
      const counters = new Uint8Array(runBytes);
      for (let at = 0, block = 0; at < runBytes; at += AES_BLOCK_BYTES) {
        counters.set(base, at);
        counters[at + IV_OFFSET_BLOCK] = block >>> 8;
        counters[at + IV_OFFSET_BLOCK + 1] = block & 0xff;
        block = block + 1 === blocksPerPacket ? 0 : block + 1;
      }
      this.#counters = counters;
    }
    // Each run rewrites only the octets that carry the index (ROC and SEQ, XORed with the salt): six stores per
    // block, where building every block from the base IV took a native call per block.
    const counters = this.#counters;
    const salt8 = base[IV_OFFSET_ROC];
    const salt9 = base[IV_OFFSET_ROC + 1];
    const salt10 = base[IV_OFFSET_ROC + 2];
    const salt11 = base[IV_OFFSET_ROC + 3];
    const salt12 = base[IV_OFFSET_SEQ];
    const salt13 = base[IV_OFFSET_SEQ + 1];
    for (let packet = 0; packet < this.#packetsPerRun; packet++) {
      const index = firstIndex + packet;
      const roc = Math.floor(index / SEQ_MOD) >>> 0;
      const seq = index % SEQ_MOD;
      const roc0 = salt8 ^ (roc >>> 24);
      const roc1 = salt9 ^ ((roc >>> 16) & 0xff);
      const roc2 = salt10 ^ ((roc >>> 8) & 0xff);
      const roc3 = salt11 ^ (roc & 0xff);
      const seq0 = salt12 ^ (seq >>> 8);
      const seq1 = salt13 ^ (seq & 0xff);
      const packetAt = packet * blocksPerPacket * AES_BLOCK_BYTES;
      for (let block = 0; block < blocksPerPacket; block++) {
        const at = packetAt + block * AES_BLOCK_BYTES;
        counters[at + IV_OFFSET_ROC] = roc0;
        counters[at + IV_OFFSET_ROC + 1] = roc1;
        counters[at + IV_OFFSET_ROC + 2] = roc2;
        counters[at + IV_OFFSET_ROC + 3] = roc3;
        counters[at + IV_OFFSET_SEQ] = seq0;
        counters[at + IV_OFFSET_SEQ + 1] = seq1;
      }
    }
    this.#keystream = this.#cipher.encryptBlocks(counters);
    this.#firstIndex = firstIndex;
    this.#blocksPerPacket = blocksPerPacket;
  }
}

function xorUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] ^= value >>> 24;
  target[offset + 1] ^= (value >>> 16) & 0xff;
  target[offset + 2] ^= (value >>> 8) & 0xff;
  target[offset + 3] ^= value & 0xff;
}
