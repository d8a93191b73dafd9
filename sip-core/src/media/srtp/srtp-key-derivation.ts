import { AesCounterMode } from './aes-counter-mode.js';
import type { SrtpMasterKey } from './srtp-master-key.js';
import type { SrtpProfile } from './srtp-profile.js';

// Session keys from the master key (RFC 3711 §4.3), with the default AES-CM PRF (§4.3.3) and a key derivation rate
// of 0: keys are derived once per master key, so "index DIV kdr" is 0 and only the label varies.
//
//   key_id = label (8 bits) || index DIV kdr (48 bits, here 0)
//   x      = key_id XOR master_salt         (key_id right-aligned under the 112-bit salt)
//   key    = AES-CM(master_key, IV = x · 2^16) truncated to the length wanted

/** Derivation labels (RFC 3711 §4.3.1 and §4.3.2). */
export const SRTP_LABEL = {
  RTP_ENCRYPTION: 0x00,
  RTP_AUTHENTICATION: 0x01,
  RTP_SALT: 0x02,
  RTCP_ENCRYPTION: 0x03,
  RTCP_AUTHENTICATION: 0x04,
  RTCP_SALT: 0x05,
} as const;

/** The label octet's position in the 14-octet salt: a 56-bit key_id right-aligned under 112 bits starts at octet 7. */
const LABEL_OFFSET_IN_SALT = 7;
const IV_BYTES = 16;

export interface SrtpSessionKeys {
  readonly encryptionKey: Buffer;
  readonly authenticationKey: Buffer;
  readonly salt: Buffer;
}

/** One session key: the PRF output for `label`, `lengthBytes` long. */
export function deriveSrtpKey(
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  label: number,
  lengthBytes: number,
): Buffer {
  const iv = Buffer.alloc(IV_BYTES);
  iv.set(masterSalt, 0);
  iv[LABEL_OFFSET_IN_SALT] = iv[LABEL_OFFSET_IN_SALT] ^ label;
  return Buffer.from(new AesCounterMode(masterKey).keystream(iv, lengthBytes));
}

/** The six SRTP and SRTCP session keys of one master key. */
export function deriveSessionKeys(
  profile: SrtpProfile,
  master: SrtpMasterKey,
): { rtp: SrtpSessionKeys; rtcp: SrtpSessionKeys } {
  const key = master.key;
  const salt = master.salt;
  const derive = (label: number, length: number): Buffer => deriveSrtpKey(key, salt, label, length);
  const result = {
    rtp: {
      encryptionKey: derive(SRTP_LABEL.RTP_ENCRYPTION, profile.sessionKeyBytes),
      authenticationKey: derive(SRTP_LABEL.RTP_AUTHENTICATION, profile.authKeyBytes),
      salt: derive(SRTP_LABEL.RTP_SALT, profile.sessionSaltBytes),
    },
    rtcp: {
      encryptionKey: derive(SRTP_LABEL.RTCP_ENCRYPTION, profile.sessionKeyBytes),
      authenticationKey: derive(SRTP_LABEL.RTCP_AUTHENTICATION, profile.authKeyBytes),
      salt: derive(SRTP_LABEL.RTCP_SALT, profile.sessionSaltBytes),
    },
  };
  key.fill(0);
  salt.fill(0);
  return result;
}
