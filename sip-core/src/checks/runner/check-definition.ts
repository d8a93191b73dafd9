// What a check is and what it returns. A check is a small self-describing object (id, title, dependencies,
// safety class, timeout and a `run` function), the way baresip's codecs describe themselves: the runner knows
// nothing about DNS, TLS or calls, so the call checks of the next slice plug in as more definitions.

import type { Clock } from '../../common/clock.js';
import type { SipTransportProtocol, SocketAddress } from '../../sip/transport/index.js';
import type { CheckTarget } from '../target/check-target.js';

/**
 * `safe`: may run against the real trunk (at most a few short test calls to numbers the user supplied).
 * `emulator-only`: a negative probe (wrong credentials, barred country, CPS flood…) that would be charged, look
 * like fraud or get the source blocked on a real trunk; the runner refuses to run it anywhere but the emulator.
 */
export type SafetyClass = 'safe' | 'emulator-only';

export type CheckStatus = 'pass' | 'fail' | 'skipped' | 'warning';

/** One measured value, typed, with its unit in the name's companion field (`rttMs` → `ms`). */
export interface MeasuredValue {
  readonly name: string;
  readonly value: number | string | boolean;
  /** `ms`, `days`, `bytes`…; absent for plain text or counts. */
  readonly unit?: string;
}

/** One SIP message as evidence: the bytes as text, who sent it to whom, when (the ladder's input, serialisable). */
export interface SipEvidenceMessage {
  /** Milliseconds since the Unix epoch. */
  readonly timestampMs: number;
  readonly source: SocketAddress;
  readonly destination: SocketAddress;
  readonly transport: SipTransportProtocol;
  /** The message as it crossed the wire (credentials in it are masked before it gets here). */
  readonly text: string;
  readonly retransmission?: boolean;
  /** Which end was this process. */
  readonly localEnd?: 'source' | 'destination';
}

/** The SIP messages of one call or exchange, drawn as one ladder in the HTML report. */
export interface SipExchangeEvidence {
  readonly label: string;
  readonly messages: readonly SipEvidenceMessage[];
}

/** Mono 16-bit PCM frames a media check wants drawn (the audio checks of the next slice fill this). */
export interface WaveformEvidence {
  readonly label: string;
  readonly sampleRateHz: number;
  readonly samples: readonly number[];
}

export interface CheckEvidence {
  readonly sip: readonly SipExchangeEvidence[];
  /** Free text, one fact per line. */
  readonly lines: readonly string[];
  /** A PCAP of the check's traffic, when one was written. */
  readonly captureFile?: string;
  readonly waveforms: readonly WaveformEvidence[];
}

/** Why a check failed or warned, in Zentrunk's terms where there are any. */
export interface CheckCause {
  /** One sentence a user can act on. */
  readonly summary: string;
  /** The Zentrunk hangup code, from the catalogue (policy), when one applies. */
  readonly hangupCode?: number;
  readonly hangupCauseName?: string;
  /** The SIP status that carried it. */
  readonly sipStatus?: number;
  /** The underlying error code (`CERT_HAS_EXPIRED`, `ECONNREFUSED`…), when there is one. */
  readonly errorCode?: string;
}

/** What `run` resolves to. `skipped` means "does not apply to this target" (TLS on a UDP trunk). */
export interface CheckOutcome {
  readonly status: CheckStatus;
  /** One line: what was found. */
  readonly summary: string;
  readonly measurements?: readonly MeasuredValue[];
  readonly evidence?: Partial<CheckEvidence>;
  /** Required in spirit for `fail` and `warning`: the runner fills a generic one when it is missing. */
  readonly cause?: CheckCause;
  readonly remedy?: string;
}

/** What a running check is given. `S` is the set of services the check family needs (sockets, resolver, UA…). */
export interface CheckContext<S> {
  readonly target: CheckTarget;
  readonly clock: Clock;
  /** Aborted on the check's timeout and when the run is aborted: stop, release sockets, return or throw. */
  readonly signal: AbortSignal;
  readonly services: S;
  /** Results of the checks that already ran in this run (a check may read its dependencies' measurements). */
  readonly results: ReadonlyMap<string, CheckResult>;
  /** Reports progress (0..1) with an optional note; shown as a bar on a TTY. */
  progress(fraction: number, note?: string): void;
  /** Adds evidence as it is gathered, so that it survives a throw or a timeout. */
  note(line: string): void;
  recordSip(exchange: SipExchangeEvidence): void;
}

export interface CheckDefinition<S = unknown> {
  /** Stable, kebab-case: the CLI's `--only`/`--skip`, report keys and JUnit test names. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly dependsOn: readonly string[];
  readonly safety: SafetyClass;
  /** Upper bound for `run`, measured on the runner's clock. */
  readonly timeoutMs: number;
  run(context: CheckContext<S>): Promise<CheckOutcome>;
}

/** Why a check did not run (or stopped). */
export type SkipReason =
  | { readonly kind: 'dependency'; readonly dependencyId: string; readonly dependencyStatus: CheckStatus }
  | { readonly kind: 'deselected' }
  | { readonly kind: 'emulator-only' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'not-applicable' };

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly safety: SafetyClass;
  readonly status: CheckStatus;
  readonly summary: string;
  /** Epoch milliseconds. */
  readonly startedMs: number;
  readonly durationMs: number;
  readonly measurements: readonly MeasuredValue[];
  readonly evidence: CheckEvidence;
  readonly cause?: CheckCause;
  readonly remedy?: string;
  readonly skipReason?: SkipReason;
  /** A check that threw or timed out: the error's code and message (never a stack, never secrets). */
  readonly error?: { readonly code?: string; readonly message: string };
}

export function emptyEvidence(): CheckEvidence {
  return { sip: [], lines: [], waveforms: [] };
}
