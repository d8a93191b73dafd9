// Trunk profiles: where the softphone sends its calls. The embedded emulator's profile is always there and is
// the default; real Zentrunk profiles hold the fields of the UA profile and what the user knows about the
// account, which the pre-dial check uses (policy `predictOutbound` with `PreDialKnowledge`).

export type SignallingTransport = 'udp' | 'tcp' | 'tls';
export type SrtpMode = 'off' | 'mandatory';
export type AudioCodec = 'PCMU' | 'PCMA';

/** What the user knows about their Zentrunk account; every field optional: unknown rules are not evaluated. */
export interface AccountKnowledge {
  /** The account's Plivo numbers (the caller IDs it may present), E.164. */
  readonly ownedNumbers?: readonly string[];
  /** Countries enabled in geo permissions (ISO 3166-1 alpha-2). */
  readonly enabledCountries?: readonly string[];
  readonly barredCountries?: readonly string[];
  readonly dnoNumbers?: readonly string[];
  readonly premiumAllowList?: readonly string[];
  readonly highRiskPrefixes?: readonly string[];
  readonly indiaAnchoringCompliant?: boolean;
}

export interface TrunkProfile {
  /** Stable id; `emulator` for the embedded emulator's profile. */
  readonly id: string;
  readonly name: string;
  /** `emulator`: the embedded emulator (pre-filled, not deletable); `zentrunk`: a real trunk. */
  readonly kind: 'emulator' | 'zentrunk';
  /** The trunk's termination domain, e.g. `21784177241578.zt.plivo.com`. */
  readonly trunkDomain: string;
  /** Where to send: the domain (resolved per RFC 3263) or an address; the emulator's is 127.0.0.1. */
  readonly proxyHost: string;
  readonly port: number;
  readonly transport: SignallingTransport;
  readonly srtp: SrtpMode;
  readonly codecs: readonly AudioCodec[];
  /** Digest user name; undefined for IP-ACL trunks. */
  readonly username?: string;
  /** Whether a SIP password is stored for this profile (the password itself never leaves the host). */
  readonly hasPassword: boolean;
  /** The caller IDs the picker offers (E.164); the first is the default. */
  readonly callerIds: readonly string[];
  /** ISO country used to read national numbers the user types (E.164 hint only; Zentrunk needs E.164). */
  readonly defaultCountry?: string;
  readonly knowledge: AccountKnowledge;
}

/** A profile as the editor submits it: `id` absent for a new profile; the password travels separately. */
export type TrunkProfileInput = Omit<TrunkProfile, 'id' | 'kind' | 'hasPassword'> & { readonly id?: string };

export interface ConnectionTestResult {
  /**
   * The OPTIONS outcome: a final response, a timeout, a transport error, or `rate_limited` — not sent, because
   * one went to this trunk less than 15 s ago (the user agent's guard; `nextAllowedAtMs` says when).
   */
  readonly outcome: 'answered' | 'timeout' | 'transport_error' | 'rate_limited';
  readonly status?: number;
  readonly reasonPhrase?: string;
  readonly roundTripMs?: number;
  /** Zentrunk limits OPTIONS to one per 15 s per source (BEHAVIOUR.md): when the next test is allowed. */
  readonly nextAllowedAtMs: number;
  readonly message: string;
}
