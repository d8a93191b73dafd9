import { inspect } from 'node:util';

// The SDP data model (RFC 4566): plain data, no behaviour beyond redaction, so that the policy layer may read it.
// Attributes the media path uses have typed fields; every other attribute is kept, in order, as a name and value,
// so that nothing an offer carried is lost on the way through.

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/**
 * o= (RFC 4566 §5.2). Session id and version are decimal strings: they may exceed 2^53, and a string survives JSON
 * (traces, reports, the IPC bridge) where a bigint would not. `BigInt(version)` compares or increments one.
 */
export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

/** c= (RFC 4566 §5.7). */
export interface SdpConnection {
  readonly netType: string;
  readonly addrType: string;
  /** The address as written, without the multicast TTL and count suffixes. */
  readonly address: string;
  readonly ttl?: number | undefined;
  readonly addressCount?: number | undefined;
}

/** b= (RFC 4566 §5.8). */
export interface SdpBandwidth {
  readonly type: string;
  readonly value: number;
}

/** t= with its r= lines (RFC 4566 §5.9, §5.10). */
export interface SdpTiming {
  readonly start: string;
  readonly stop: string;
  readonly repeats: readonly string[];
}

/** a=rtpmap (RFC 4566 §6). */
export interface SdpRtpmap {
  readonly payloadType: number;
  readonly encodingName: string;
  readonly clockRateHz: number;
  readonly channels?: number | undefined;
}

/** a=fmtp (RFC 4566 §6): the parameters are format-specific and kept as written. */
export interface SdpFmtp {
  readonly payloadType: number;
  readonly parameters: string;
}

/** a=rtcp (RFC 3605). */
export interface SdpRtcp {
  readonly port: number;
  readonly netType?: string | undefined;
  readonly addrType?: string | undefined;
  readonly address?: string | undefined;
}

/** An attribute without a typed field: `a=name` or `a=name:value`. */
export interface SdpAttribute {
  readonly name: string;
  readonly value?: string | undefined;
}

const INLINE_KEY = /inline:[^|;\s]+/g;

/**
 * a=crypto (RFC 4568 §9.1) at the syntax level: tag, suite, key parameters and session parameters as written. The
 * SDES layer interprets them. The key parameters hold the master key, so this class prints itself with the keys
 * replaced (JSON, string conversion, util.inspect); `keyParams` gives the real value to code that asks for it.
 */
export class SdpCrypto {
  readonly tag: number;
  readonly suite: string;
  readonly keyParams: string;
  readonly sessionParams: readonly string[];

  constructor(tag: number, suite: string, keyParams: string, sessionParams: readonly string[] = []) {
    this.tag = tag;
    this.suite = suite;
    this.keyParams = keyParams;
    this.sessionParams = sessionParams;
  }

  /** The attribute value as it goes on the wire (secret included). */
  toValue(): string {
    return [String(this.tag), this.suite, this.keyParams, ...this.sessionParams].join(' ');
  }

  toJSON(): { tag: number; suite: string; keyParams: string; sessionParams: readonly string[] } {
    return {
      tag: this.tag,
      suite: this.suite,
      keyParams: redactKeyParams(this.keyParams),
      sessionParams: this.sessionParams,
    };
  }

  toString(): string {
    return redactKeyParams(this.toValue());
  }

  [inspect.custom](): string {
    return `SdpCrypto { ${this.toString()} }`;
  }
}

/** Replaces every `inline:` key in a crypto value with a placeholder. */
export function redactKeyParams(text: string): string {
  return text.replace(INLINE_KEY, 'inline:<redacted>');
}

/** Attributes that may appear at session and media level. */
export interface SdpCommonFields {
  readonly information?: string | undefined;
  readonly connection?: SdpConnection | undefined;
  readonly bandwidths: readonly SdpBandwidth[];
  /** k= (obsolete, RFC 4566 §5.12), kept as written. */
  readonly encryptionKey?: string | undefined;
  readonly direction?: MediaDirection | undefined;
  readonly attributes: readonly SdpAttribute[];
}

/** An m= section (RFC 4566 §5.14). */
export interface MediaDescription extends SdpCommonFields {
  readonly media: string;
  readonly port: number;
  readonly portCount?: number | undefined;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly rtpmaps: readonly SdpRtpmap[];
  readonly fmtps: readonly SdpFmtp[];
  readonly ptimeMs?: number | undefined;
  readonly maxptimeMs?: number | undefined;
  readonly rtcp?: SdpRtcp | undefined;
  /** a=rtcp-mux (RFC 5761): recognised; whether it is used is the negotiation's decision. */
  readonly rtcpMux: boolean;
  readonly cryptos: readonly SdpCrypto[];
}

export interface SessionDescription extends SdpCommonFields {
  readonly version: 0;
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly uri?: string | undefined;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly timing: readonly SdpTiming[];
  /** z= (RFC 4566 §5.11), kept as written. */
  readonly timeZones?: string | undefined;
  readonly media: readonly MediaDescription[];
}

/** A mutable view of a type, for builders that fill a description line by line. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
