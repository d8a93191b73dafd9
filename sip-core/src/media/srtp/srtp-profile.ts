// The SRTP protection profiles Trunkline speaks, by their SDES names (RFC 4568 §6.2). Zentrunk documents only
// AES_CM_128_HMAC_SHA1_80; _32 is accepted too (BEHAVIOUR.md §20). Adding a profile (say AES_256_CM_HMAC_SHA1_80,
// RFC 6188) is a new row here plus the cipher key length in the key derivation.

export type SrtpProfileName = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';

export interface SrtpProfile {
  readonly name: SrtpProfileName;
  readonly masterKeyBytes: number;
  readonly masterSaltBytes: number;
  /** Session encryption key (k_e) length: AES-128. */
  readonly sessionKeyBytes: number;
  /** Session salt (k_s) length, 112 bits (RFC 3711 §4.1.1). */
  readonly sessionSaltBytes: number;
  /** Session authentication key (k_a) length: 160 bits for HMAC-SHA1 (RFC 3711 §5.2). */
  readonly authKeyBytes: number;
  readonly rtpAuthTagBytes: number;
  /**
   * The SRTCP tag we send: 80 bits for both suites. RFC 3711 §7.5 allows short tags only where a forged packet costs
   * little (a 20 ms audio frame), which RTCP is not, and libSRTP-based peers (Asterisk, FreeSWITCH) keep SRTCP at 80
   * bits with _32.
   */
  readonly rtcpAuthTagBytes: number;
  /**
   * SRTCP tag lengths accepted on receive. libre (baresip) cuts SRTCP tags to 32 bits with _32, so for that suite a
   * 32-bit tag is accepted too; see docs/adr/0052.
   */
  readonly rtcpAuthTagBytesAccepted: readonly number[];
}

const AES_128_HMAC_SHA1 = {
  masterKeyBytes: 16,
  masterSaltBytes: 14,
  sessionKeyBytes: 16,
  sessionSaltBytes: 14,
  authKeyBytes: 20,
  rtcpAuthTagBytes: 10,
} as const;

export const SRTP_PROFILES: Readonly<Record<SrtpProfileName, SrtpProfile>> = {
  AES_CM_128_HMAC_SHA1_80: {
    name: 'AES_CM_128_HMAC_SHA1_80',
    ...AES_128_HMAC_SHA1,
    rtpAuthTagBytes: 10,
    rtcpAuthTagBytesAccepted: [10],
  },
  AES_CM_128_HMAC_SHA1_32: {
    name: 'AES_CM_128_HMAC_SHA1_32',
    ...AES_128_HMAC_SHA1,
    rtpAuthTagBytes: 4,
    rtcpAuthTagBytesAccepted: [10, 4],
  },
};

export function isSrtpProfileName(name: string): name is SrtpProfileName {
  return Object.hasOwn(SRTP_PROFILES, name);
}
