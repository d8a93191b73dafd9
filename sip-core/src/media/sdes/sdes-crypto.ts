import { randomBytes } from 'node:crypto';
import { SdpCrypto } from '../sdp/session-description.js';
import { SrtpMasterKey } from '../srtp/srtp-master-key.js';
import { SRTP_PROFILES, type SrtpProfileName, isSrtpProfileName } from '../srtp/srtp-profile.js';
import { MIN_REPLAY_WINDOW_SIZE } from '../srtp/replay-window.js';

// SDP Security Descriptions (RFC 4568): what an a=crypto line means for SRTP.
//
//   a=crypto:<tag> <crypto-suite> inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>][;inline:…] [<session-params>]
//
// Accepted: the two AES_CM_128 suites, one key, a lifetime (2^n or decimal, kept for the session to honour), the
// WSH window-size hint. Refused with a reason the answer can report: MKI (it needs key selection per packet), several
// keys, and session parameters that change the transform (KDR, UNENCRYPTED_SRTP/SRTCP, UNAUTHENTICATED_SRTP,
// FEC_ORDER/FEC_KEY) or that we do not know: accepting those and protecting differently would give a call that
// connects and then has no audio, which is worse than a clear refusal.

export type SdesRefusal =
  | 'unknown-suite'
  | 'bad-key-params'
  | 'bad-key-length'
  | 'mki-unsupported'
  | 'multiple-keys-unsupported'
  | 'bad-lifetime'
  | 'unsupported-session-parameter';

export interface SdesCrypto {
  readonly tag: number;
  readonly profile: SrtpProfileName;
  readonly masterKey: SrtpMasterKey;
  /** Master key lifetime in packets, when the line gives one (RFC 4568 §6.1). */
  readonly lifetimePackets?: number | undefined;
  /** WSH (RFC 4568 §6.3.7): the replay window the peer would like us to keep. */
  readonly windowSizeHint?: number | undefined;
}

export type SdesReadResult =
  | { readonly ok: true; readonly crypto: SdesCrypto }
  | { readonly ok: false; readonly refusal: SdesRefusal; readonly detail: string };

/** RFC 3711 §9.2: at most 2^48 SRTP packets per master key. */
const MAX_LIFETIME_PACKETS = 2 ** 48;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const INLINE_PREFIX = 'inline:';

function refuse(refusal: SdesRefusal, detail: string): SdesReadResult {
  return { ok: false, refusal, detail };
}

/** Interprets an a=crypto attribute; never throws, and never puts key material in the refusal detail. */
export function readSdesCrypto(attribute: SdpCrypto): SdesReadResult {
  if (!isSrtpProfileName(attribute.suite)) {
    return refuse(
      'unknown-suite',
      `crypto suite ${attribute.suite} is not supported (use AES_CM_128_HMAC_SHA1_80 or _32)`,
    );
  }
  const profile = SRTP_PROFILES[attribute.suite];
  if (attribute.keyParams.includes(';')) {
    return refuse(
      'multiple-keys-unsupported',
      `crypto tag ${attribute.tag} offers several keys; only one key is supported`,
    );
  }
  if (!attribute.keyParams.startsWith(INLINE_PREFIX)) {
    return refuse(
      'bad-key-params',
      `crypto tag ${attribute.tag} has no inline: key (the only key method RFC 4568 defines)`,
    );
  }
  const [keySaltText = '', ...extras] = attribute.keyParams.slice(INLINE_PREFIX.length).split('|');
  if (!BASE64.test(keySaltText)) {
    return refuse('bad-key-params', `crypto tag ${attribute.tag} has a key that is not base64`);
  }
  const keySalt = Buffer.from(keySaltText, 'base64');
  const expected = profile.masterKeyBytes + profile.masterSaltBytes;
  if (keySalt.length !== expected) {
    return refuse(
      'bad-key-length',
      `crypto tag ${attribute.tag} has ${keySalt.length} octets of key and salt, ${profile.name} needs ${expected}`,
    );
  }

  let lifetimePackets: number | undefined;
  for (const extra of extras) {
    if (extra.includes(':')) {
      return refuse(
        'mki-unsupported',
        `crypto tag ${attribute.tag} uses an MKI (${extra}); keys with an MKI are not supported`,
      );
    }
    if (lifetimePackets !== undefined) {
      return refuse('bad-lifetime', `crypto tag ${attribute.tag} gives two lifetimes`);
    }
    lifetimePackets = parseLifetime(extra);
    if (lifetimePackets === undefined) {
      return refuse(
        'bad-lifetime',
        `crypto tag ${attribute.tag} has the lifetime "${extra}", expected 2^n or a number up to 2^48`,
      );
    }
  }

  let windowSizeHint: number | undefined;
  for (const parameter of attribute.sessionParams) {
    const wsh = /^WSH=(\d+)$/.exec(parameter);
    if (wsh && Number(wsh[1]) >= MIN_REPLAY_WINDOW_SIZE) {
      windowSizeHint = Number(wsh[1]);
      continue;
    }
    return refuse(
      'unsupported-session-parameter',
      `crypto tag ${attribute.tag} has the session parameter ${parameter.split('=')[0]}, which is not supported`,
    );
  }

  return {
    ok: true,
    crypto: {
      tag: attribute.tag,
      profile: profile.name,
      masterKey: SrtpMasterKey.fromKeySalt(keySalt, profile),
      lifetimePackets,
      windowSizeHint,
    },
  };
}

function parseLifetime(text: string): number | undefined {
  const power = /^2\^(\d{1,2})$/.exec(text);
  const value = power ? 2 ** Number(power[1]) : /^\d{1,15}$/.test(text) ? Number(text) : undefined;
  return value !== undefined && value >= 1 && value <= MAX_LIFETIME_PACKETS ? value : undefined;
}

/** Fresh key material for a new a=crypto line (RFC 4568 §8.1: from a strong random source, never reused across calls). */
export function generateSdesCrypto(
  tag: number,
  profile: SrtpProfileName,
  random: (size: number) => Buffer = randomBytes,
): SdesCrypto {
  return { tag, profile, masterKey: SrtpMasterKey.generate(SRTP_PROFILES[profile], random) };
}

/** The a=crypto attribute for `crypto` (no lifetime, no MKI, no session parameters). */
export function toSdpCrypto(crypto: SdesCrypto): SdpCrypto {
  return new SdpCrypto(
    crypto.tag,
    crypto.profile,
    `${INLINE_PREFIX}${crypto.masterKey.keySalt().toString('base64')}`,
  );
}
