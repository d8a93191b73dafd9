import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesCounterMode } from '../../../src/media/srtp/aes-counter-mode.js';
import { RtpKeystreamCache } from '../../../src/media/srtp/rtp-keystream-cache.js';

// The run of precomputed keystream must give, for every packet index, exactly the AES-CM keystream of RFC 3711
// §4.1.1 computed packet by packet: in order, reordered before the run, across a ROC step, for packets that grow.

const key = randomBytes(16);
const salt = Buffer.concat([randomBytes(14), Buffer.alloc(2)]);
const SSRC = 0xcafe_f00d;

function referenceKeystream(index: number, length: number): Buffer {
  const iv = Buffer.from(salt);
  const ssrc = Buffer.alloc(4);
  ssrc.writeUInt32BE(SSRC);
  for (let i = 0; i < 4; i++) iv[4 + i] ^= ssrc[i];
  const roc = Math.floor(index / 65536);
  const seq = index % 65536;
  const indexBytes = Buffer.alloc(6);
  indexBytes.writeUInt32BE(roc, 0);
  indexBytes.writeUInt16BE(seq, 4);
  for (let i = 0; i < 6; i++) iv[8 + i] ^= indexBytes[i];
  return new AesCounterMode(key).keystream(iv, length);
}

function cached(cache: RtpKeystreamCache, index: number, length: number): Buffer {
  const data = Buffer.alloc(length + 12);
  cache.xor(index, data, 12, 12 + length);
  return data.subarray(12);
}

describe('RtpKeystreamCache', () => {
  it('gives each index its own AES-CM keystream, in order, out of order, across runs and a ROC step', () => {
    const cache = new RtpKeystreamCache(new AesCounterMode(key), salt, SSRC, 4);
    const indices = [
      65_530, 65_531, 65_532, 65_533, 65_534, 65_535, 65_536, 65_537, 65_535, 65_540, 65_529, 70_000,
    ];
    for (const index of indices) {
      expect(cached(cache, index, 160).equals(referenceKeystream(index, 160)), `index ${index}`).toBe(true);
    }
  });

  it('serves shorter packets from a run and computes again for a longer one', () => {
    const cache = new RtpKeystreamCache(new AesCounterMode(key), salt, SSRC);
    for (const [index, length] of [
      [10, 4],
      [11, 160],
      [12, 4],
      [13, 161],
      [14, 320],
      [15, 1],
      [16, 0],
    ] as const) {
      expect(cached(cache, index, length).equals(referenceKeystream(index, length)), `index ${index}`).toBe(
        true,
      );
    }
  });
});
