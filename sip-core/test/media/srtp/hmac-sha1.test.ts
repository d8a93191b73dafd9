import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha1 } from '../../../src/media/srtp/hmac-sha1.js';

// Our allocation-free HMAC-SHA1 against RFC 2202's known answers, and against node:crypto over every message length
// that crosses a SHA-1 block or padding boundary, with and without SRTP's 4-octet ROC suffix.

const RFC_2202_CASES: ReadonlyArray<{ name: string; key: Buffer; data: Buffer; digest: string }> = [
  {
    name: '1',
    key: Buffer.alloc(20, 0x0b),
    data: Buffer.from('Hi There'),
    digest: 'b617318655057264e28bc0b6fb378c8ef146be00',
  },
  {
    name: '2',
    key: Buffer.from('Jefe'),
    data: Buffer.from('what do ya want for nothing?'),
    digest: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
  },
  {
    name: '3',
    key: Buffer.alloc(20, 0xaa),
    data: Buffer.alloc(50, 0xdd),
    digest: '125d7342b9ac11cd91a39af48aa17b4f63f175d3',
  },
  {
    name: '4',
    key: Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)),
    data: Buffer.alloc(50, 0xcd),
    digest: '4c9007f4026250c6bc8414f9bf50c86c2d7235da',
  },
  {
    name: '5',
    key: Buffer.alloc(20, 0x0c),
    data: Buffer.from('Test With Truncation'),
    digest: '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04',
  },
  {
    name: '6 (key longer than a block)',
    key: Buffer.alloc(80, 0xaa),
    data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
    digest: 'aa4ae5e15272d00e95705637ce8a3b55ed402112',
  },
  {
    name: '7 (key and data longer than a block)',
    key: Buffer.alloc(80, 0xaa),
    data: Buffer.from('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
    digest: 'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
  },
];

describe('HmacSha1', () => {
  it.each(RFC_2202_CASES)('gives RFC 2202 test case $name', ({ key, data, digest }) => {
    const hmac = new HmacSha1(key);
    expect(Buffer.from(hmac.compute(data, data.length, undefined)).toString('hex')).toBe(digest);
    // Reusable: a second message with the same key gives the same answer again.
    expect(Buffer.from(hmac.compute(Buffer.from('other'), 5, undefined)).toString('hex')).not.toBe(digest);
    expect(Buffer.from(hmac.compute(data, data.length, undefined)).toString('hex')).toBe(digest);
  });

  it('agrees with node:crypto for every length 0-200, with and without a 32-bit suffix', () => {
    const key = randomBytes(20);
    const hmac = new HmacSha1(key);
    const message = randomBytes(210);
    for (let length = 0; length <= 200; length++) {
      const roc = (length * 0x01_02_03_05) >>> 0;
      const rocBytes = Buffer.alloc(4);
      rocBytes.writeUInt32BE(roc);
      const withSuffix = createHmac('sha1', key)
        .update(message.subarray(0, length))
        .update(rocBytes)
        .digest();
      expect(
        Buffer.from(hmac.compute(message, length, roc)).equals(withSuffix),
        `length ${length} + ROC`,
      ).toBe(true);
      const plain = createHmac('sha1', key).update(message.subarray(0, length)).digest();
      expect(Buffer.from(hmac.compute(message, length, undefined)).equals(plain), `length ${length}`).toBe(
        true,
      );
    }
  });

  it('writes a truncated tag and compares one in place', () => {
    const hmac = new HmacSha1(Buffer.alloc(20, 7));
    const packet = Buffer.alloc(40, 1);
    const digest = Buffer.from(hmac.compute(packet, 30, 0xdeadbeef));
    hmac.writeTag(packet, 30, 10);
    expect(packet.subarray(30, 40).equals(digest.subarray(0, 10))).toBe(true);
    expect(hmac.matchesTag(packet, 30, 10)).toBe(true);
    for (const at of [30, 35, 39]) {
      packet[at] ^= 0x01;
      expect(hmac.matchesTag(packet, 30, 10), `flipped octet ${at}`).toBe(false);
      packet[at] ^= 0x01;
    }
  });
});
