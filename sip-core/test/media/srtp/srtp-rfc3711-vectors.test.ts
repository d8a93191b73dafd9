import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AesCounterMode } from '../../../src/media/srtp/aes-counter-mode.js';
import { SRTP_LABEL, deriveSrtpKey } from '../../../src/media/srtp/srtp-key-derivation.js';
import { hex, toHex } from '../../support/hex.js';

// RFC 3711 Appendix B: every value of the fixture, checked against our AES-CM and key derivation.

interface Rfc3711Fixture {
  aes_cm_keystream: {
    session_key: string;
    offset: string;
    keystream_segment_length_octets: number;
    blocks: Array<{ counter: string; keystream: string }>;
  };
  key_derivation: {
    master_key: string;
    master_salt: string;
    derivations: Array<{
      label: string;
      aes_cm_input: string;
      output: string;
      hmac_sha1_key_160bit?: string;
    }>;
  };
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/srtp/srtp-rfc3711.json', import.meta.url), 'utf8'),
) as Rfc3711Fixture;

describe('RFC 3711 B.2 AES-CM keystream', () => {
  const vector = fixture.aes_cm_keystream;
  const cipher = new AesCounterMode(hex(vector.session_key));
  const iv = hex(vector.offset);
  const segment = cipher.keystream(iv, vector.keystream_segment_length_octets);

  it('generates the whole 1044512-octet segment', () => {
    expect(segment.length).toBe(vector.keystream_segment_length_octets);
  });

  it.each(vector.blocks.map((b) => [b.counter, b.keystream] as const))(
    'block at counter %s',
    (counter, keystream) => {
      const blockIndex = Number(BigInt(`0x${counter}`) - BigInt(`0x${vector.offset}`));
      expect(toHex(segment.subarray(blockIndex * 16, blockIndex * 16 + 16))).toBe(keystream);
    },
  );

  it('xor() applies the same keystream in place, from any starting offset of a buffer', () => {
    const data = Buffer.alloc(40);
    cipher.xor(iv, data, 8, 40);
    expect(data.subarray(0, 8).every((b) => b === 0)).toBe(true);
    expect(toHex(data.subarray(8, 24))).toBe(vector.blocks[0].keystream);
    cipher.xor(iv, data, 8, 40);
    expect(data.every((b) => b === 0)).toBe(true);
  });
});

describe('RFC 3711 B.3 key derivation', () => {
  const vector = fixture.key_derivation;
  it.each(vector.derivations.map((d) => [d.label, d] as const))('label %s', (label, derivation) => {
    const output = hex(derivation.output);
    const derived = deriveSrtpKey(
      hex(vector.master_key),
      hex(vector.master_salt),
      Number.parseInt(label, 16),
      output.length,
    );
    expect(toHex(derived)).toBe(derivation.output);
    if (derivation.hmac_sha1_key_160bit) {
      expect(
        toHex(deriveSrtpKey(hex(vector.master_key), hex(vector.master_salt), Number.parseInt(label, 16), 20)),
      ).toBe(derivation.hmac_sha1_key_160bit);
    }
  });

  it('uses the RFC label numbers', () => {
    expect(SRTP_LABEL).toEqual({
      RTP_ENCRYPTION: 0,
      RTP_AUTHENTICATION: 1,
      RTP_SALT: 2,
      RTCP_ENCRYPTION: 3,
      RTCP_AUTHENTICATION: 4,
      RTCP_SALT: 5,
    });
  });
});
