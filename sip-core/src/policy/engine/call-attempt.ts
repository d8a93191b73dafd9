// A call attempt as plain data: what the emulator reads from a parsed request (or the softphone knows before
// dialling). The policy engine never sees a socket or a parser, so both callers can fill this in their own way.
//
// Convention for every field: `undefined` means UNKNOWN (the rule that needs it is "not evaluated"), `null`
// means KNOWN TO BE ABSENT (no P-Asserted-Identity header, no SDP offer). The emulator always knows
// everything; the softphone's pre-dial check knows little.

export type SipTransport = 'udp' | 'tcp' | 'tls';

/** The parts of an SDP offer the policy looks at (filled in from media/sdp by the caller). */
export interface SdpOfferSummary {
  /** The audio m-line's transport protocol, for example `RTP/AVP` or `RTP/SAVP`. */
  readonly profile: string;
  /** Payload types in offer order. */
  readonly payloadTypes: readonly number[];
  /** Encoding names from rtpmap and the static payload types, any case (`PCMU`, `opus`). */
  readonly codecs: readonly string[];
  /** SDES crypto suites offered (`AES_CM_128_HMAC_SHA1_80`); empty when none. */
  readonly cryptoSuites: readonly string[];
  /** Whether telephone-event (RFC 4733) is offered. */
  readonly telephoneEvent: boolean;
}

/** Digest authentication as the emulator's auth layer found it. */
export type AuthenticationState =
  | { readonly state: 'none' }
  | { readonly state: 'valid'; readonly credential_uuid: string }
  | { readonly state: 'invalid' };

export interface CallAttempt {
  /** The request method, upper case. */
  readonly method: string;
  readonly transport: SipTransport;
  readonly source: { readonly ip: string; readonly port: number };
  readonly requestUri: {
    readonly scheme: string;
    /** The user part (the dialled number), or null when the URI has none. */
    readonly user: string | null;
    readonly host: string;
  };
  /** The From URI's user part, or null. */
  readonly fromUser: string | null;
  /** The P-Asserted-Identity URI's user part, or null when there is no PAI. */
  readonly paiUser: string | null;
  /** Option tags of Require. */
  readonly require: readonly string[];
  /** Option tags of Supported. */
  readonly supported: readonly string[];
  /** Max-Forwards, or null when the header is absent. */
  readonly maxForwards: number | null;
  /** True when the request already went through this trunk (our own Via branch or a loop marker seen). */
  readonly loopDetected: boolean;
  /** The offer, or null when the INVITE has no SDP (late offer). */
  readonly sdp: SdpOfferSummary | null;
  readonly auth: AuthenticationState;
  /** Session-Expires delta-seconds, or null when absent. */
  readonly sessionExpiresS: number | null;
  /**
   * Set when the request could not be parsed well enough to process: `packet` for framing or start-line
   * damage (4580 invalid_sip_packet), otherwise a bad header (4000 bad_request).
   */
  readonly malformed: { readonly reason: string; readonly packet: boolean } | null;
}

/** What the pre-dial check may know: any field may be unknown. */
export type PartialCallAttempt = {
  readonly [K in Exclude<keyof CallAttempt, 'requestUri' | 'source'>]?: CallAttempt[K] | undefined;
} & {
  readonly requestUri?: { readonly scheme?: string; readonly user?: string | null; readonly host?: string };
  readonly source?: { readonly ip?: string; readonly port?: number };
};

/** Live counters, always passed in: the engine keeps no state of its own. */
export interface PolicyCounters {
  /** Calls already admitted in the current one-second window, by outbound trunk_id. */
  readonly trunkCallsThisSecond?: Readonly<Record<string, number>>;
  /** Calls already admitted in the current one-second window, account-wide. */
  readonly accountCallsThisSecond?: number;
  /** Calls in progress on the account (every leg counts, §12.2). */
  readonly activeCalls?: number;
  /** Remaining credit; when absent the account's `credit_balance_usd` applies. */
  readonly creditBalanceUsd?: number;
  /** True while the OPTIONS-rate policy blocks this source (see `assessOptionsRate`). */
  readonly sourceBlocked?: boolean;
}
