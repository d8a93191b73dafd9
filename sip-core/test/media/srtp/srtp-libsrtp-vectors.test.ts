import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SrtpMasterKey } from '../../../src/media/srtp/srtp-master-key.js';
import { SRTP_PROFILES, type SrtpProfileName } from '../../../src/media/srtp/srtp-profile.js';
import { SrtpSession } from '../../../src/media/srtp/srtp-session.js';
import { hex } from '../../support/hex.js';

// Whole-packet known answers computed by libSRTP, an independent implementation (see the fixture's source note).

interface LibsrtpFixture {
  master_key_and_salt: string;
  rtp_plaintext: string;
  srtp_aes_cm_128_hmac_sha1_80: string;
  srtp_aes_cm_128_hmac_sha1_32: string;
  rtcp_plaintext: string;
  srtcp_aes_cm_128_hmac_sha1_80: string;
  srtcp_index: number;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/srtp/libsrtp-validate.json', import.meta.url), 'utf8'),
) as LibsrtpFixture;

function session(profile: SrtpProfileName, firstSrtcpIndex = 0): SrtpSession {
  const masterKey = SrtpMasterKey.fromKeySalt(hex(fixture.master_key_and_salt), SRTP_PROFILES[profile]);
  return new SrtpSession({ profile, masterKey, firstSrtcpIndex });
}

describe('SRTP against libSRTP srtp_validate', () => {
  it.each([
    ['AES_CM_128_HMAC_SHA1_80', fixture.srtp_aes_cm_128_hmac_sha1_80],
    ['AES_CM_128_HMAC_SHA1_32', fixture.srtp_aes_cm_128_hmac_sha1_32],
  ] as const)(
    '%s: protect gives libSRTP ciphertext, unprotect gives the plaintext back',
    (profile, ciphertext) => {
      expect(session(profile).protectRtp(hex(fixture.rtp_plaintext)).toString('hex')).toBe(ciphertext);
      const result = session(profile).unprotectRtp(hex(ciphertext));
      expect(result.ok && result.packet.toString('hex')).toBe(fixture.rtp_plaintext);
    },
  );

  it('SRTCP: protect gives libSRTP ciphertext (index 1), unprotect gives the plaintext back', () => {
    const protectedPacket = session('AES_CM_128_HMAC_SHA1_80', fixture.srtcp_index).protectRtcp(
      hex(fixture.rtcp_plaintext),
    );
    expect(protectedPacket.toString('hex')).toBe(fixture.srtcp_aes_cm_128_hmac_sha1_80);
    const result = session('AES_CM_128_HMAC_SHA1_80').unprotectRtcp(
      hex(fixture.srtcp_aes_cm_128_hmac_sha1_80),
    );
    expect(result.ok && result.packet.toString('hex')).toBe(fixture.rtcp_plaintext);
  });
});
