// The emulator's events: everything the UI and the CLI show about a running emulator, as one typed event map.
// Types and small constructors only; components emit into one `TypedEmitter<EmulatorEvents>` that the emulator
// owns (a listener that throws never disturbs a call, see common/typed-emitter.ts). Every payload is plain,
// JSON-safe data stamped with the wall time, so the host can forward it over IPC or a WebSocket unchanged.
// Payloads never carry passwords, digest responses or keys.

import type { Clock } from '../common/clock.js';
import { describeError, TrunklineError } from '../common/errors.js';
import type { TypedEmitter } from '../common/typed-emitter.js';
import type { DtmfSymbol } from '../media/dtmf/dtmf-symbols.js';
import type {
  EvidenceGrade,
  HangupCause,
  PolicyDecision,
  SipTransport,
  TraceEntry,
} from '../policy/index.js';

/** Every event carries the wall time it happened at (milliseconds since the Unix epoch). */
export interface Stamped {
  readonly wallTimeMs: number;
}

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** A listener started (`up`) or stopped (`down`; `error` says why when it was not asked to). */
export interface ListenerEvent extends Stamped {
  readonly state: 'up' | 'down';
  readonly transport: SipTransport;
  readonly local: Endpoint;
  readonly error?: string;
}

/**
 * The life of a call leg as the UI shows it:
 *
 *   trying ──► ringing ──► early-media ──► answered ◄──► held / resumed
 *     │           │             │              │
 *     │           │             │              ├──► transferring ──► answered (transfer failed) or ended
 *     └───────────┴─────────────┴──────────────┴──► ended (with the hangup cause)
 */
export type CallState =
  'trying' | 'ringing' | 'early-media' | 'answered' | 'held' | 'resumed' | 'transferring' | 'ended';

export interface CallStateEvent extends Stamped {
  readonly callUuid: string;
  readonly callId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  readonly to: string;
  readonly state: CallState;
  /** The SIP status that caused the change (180, 183, 200, the final error), when there was one. */
  readonly sipStatus?: number;
  /** For `ended`: the Zentrunk hangup cause written to the CDR. */
  readonly cause?: HangupCause;
  /** For `held`: who put the call on hold. */
  readonly by?: 'customer' | 'carrier';
}

/** What the policy engine decided for an out-of-dialog request, with the trace of every rule consulted. */
export interface PolicyDecisionEvent extends Stamped {
  readonly callId: string | null;
  readonly method: string;
  readonly transport: SipTransport;
  readonly source: Endpoint;
  readonly decision: PolicyDecision['kind'];
  /** The response sent, when one was (not for `allow`, `queue` and `drop`). */
  readonly status?: number;
  readonly cause?: HangupCause;
  /** The deciding rule, for anything but `allow` and `answer`. */
  readonly rule?: { readonly ruleId: string; readonly section: string; readonly grade: EvidenceGrade };
  readonly explanation?: string;
  readonly trace: readonly TraceEntry[];
}

/** OPTIONS pings faster than Zentrunk tolerates (§3, §11, §20): a warning, a block, or the block's end. */
export interface OptionsRateEvent extends Stamped {
  readonly state: 'warning' | 'blocked' | 'unblocked';
  readonly source: Endpoint;
  readonly trunkId: string | null;
  readonly detail: string;
  /** For `blocked`: when OPTIONS and INVITEs from this source are answered again. */
  readonly blockedUntilWallMs?: number;
}

/** The account CPS queue (§12.1, §20). `waitedMs` is the queue delay so far (0 for `queued`). */
export interface CpsQueueEvent extends Stamped {
  readonly state: 'queued' | 'released' | 'timed-out' | 'cancelled';
  /** The call's key (its call_uuid). */
  readonly callKey: string;
  readonly waitedMs: number;
  readonly maxWaitMs: number;
  /** Calls waiting after this event. */
  readonly queueLength: number;
}

/** An RFC 4733 digit received from the customer's side of a call. */
export interface DtmfEvent extends Stamped {
  readonly callUuid: string;
  readonly digit: DtmfSymbol;
  readonly durationMs: number;
}

/** Progress of a REFER transfer (§7): the stages a user sees, with the sipfrag status sent in NOTIFY. */
export interface TransferEvent extends Stamped {
  readonly callUuid: string;
  readonly stage: 'refused' | 'accepted' | 'trying' | 'ringing' | 'succeeded' | 'failed';
  readonly referTo: string;
  /** The call_uuid of the new leg, once it exists. */
  readonly transferCallUuid?: string;
  /** The status in the NOTIFY's `message/sipfrag` body, or of the REFER's rejection. */
  readonly sipStatus?: number;
  readonly detail: string;
}

/** An inbound (PSTN → DID → PBX) call: each INVITE to an origination URI and how it ended (§5, §20). */
export interface InboundCallEvent extends Stamped {
  readonly callUuid: string;
  readonly did: string;
  readonly from: string;
  readonly stage: 'attempt' | 'failover' | 'answered' | 'failed';
  readonly leg: 'primary' | 'fallback';
  /** The origination URI (never with a password). */
  readonly uri: string;
  readonly sipStatus?: number;
  readonly cause?: HangupCause;
  /** On `failover`/`failed` after a transport failure: what the transport said (refused, certificate…). */
  readonly transportError?: string;
}

/** A CDR (and its SIP trace) is committed to the store. */
export interface CdrWrittenEvent extends Stamped {
  readonly callUuid: string;
  readonly callId: string | null;
  readonly direction: 'inbound' | 'outbound';
  readonly hangupCauseCode: number;
  readonly hangupCauseName: string;
  readonly hangupSource: 'customer' | 'carrier' | 'zentrunk';
  readonly billDurationS: number;
  readonly traceMessages: number;
}

/** Something went wrong that the emulator survived (a CDR not written, a listener lost, bad input). */
export interface EmulatorErrorEvent extends Stamped {
  readonly kind: 'cdr-write-failed' | 'listener-failed' | 'bad-input' | 'internal';
  /** The `TrunklineError` code when there is one, else `UNKNOWN`. */
  readonly code: string;
  /** A sentence for the user; never a secret. */
  readonly message: string;
  readonly callUuid?: string;
}

/** The emulator's event map. */
export interface EmulatorEvents {
  listener: (event: ListenerEvent) => void;
  callState: (event: CallStateEvent) => void;
  policyDecision: (event: PolicyDecisionEvent) => void;
  optionsRate: (event: OptionsRateEvent) => void;
  cpsQueue: (event: CpsQueueEvent) => void;
  dtmf: (event: DtmfEvent) => void;
  transfer: (event: TransferEvent) => void;
  inboundCall: (event: InboundCallEvent) => void;
  cdrWritten: (event: CdrWrittenEvent) => void;
  error: (event: EmulatorErrorEvent) => void;
}

export type EmulatorEventName = keyof EmulatorEvents;
export type EmulatorEventPayload<K extends EmulatorEventName> = Parameters<EmulatorEvents[K]>[0];
export type EmulatorEventEmitter = TypedEmitter<EmulatorEvents>;
/** What a component needs to report: the emitter's `emit`, nothing else. */
export type EmulatorEventSink = Pick<EmulatorEventEmitter, 'emit'>;

/** Adds the wall time to a payload. */
export function stamped<T extends object>(clock: Pick<Clock, 'wallNow'>, fields: T): T & Stamped {
  return { ...fields, wallTimeMs: clock.wallNow() };
}

/** The event for a policy decision: the deciding rule and response are lifted out of the decision. */
export function policyDecisionEvent(
  clock: Pick<Clock, 'wallNow'>,
  request: Pick<PolicyDecisionEvent, 'callId' | 'method' | 'transport' | 'source'>,
  decision: PolicyDecision,
): PolicyDecisionEvent {
  const base = { ...request, decision: decision.kind, trace: decision.trace };
  switch (decision.kind) {
    case 'allow':
      return stamped(clock, base);
    case 'answer':
      return stamped(clock, { ...base, status: decision.status });
    case 'reject':
      return stamped(clock, {
        ...base,
        status: decision.status,
        ...(decision.cause ? { cause: decision.cause } : {}),
        rule: ruleOf(decision),
        explanation: decision.explanation,
      });
    case 'challenge':
      return stamped(clock, {
        ...base,
        status: decision.status,
        rule: ruleOf(decision),
        explanation: decision.explanation,
      });
    case 'queue':
    case 'drop':
      return stamped(clock, { ...base, rule: ruleOf(decision), explanation: decision.explanation });
  }
}

function ruleOf(decision: { ruleId: string; section: string; grade: EvidenceGrade }) {
  return { ruleId: decision.ruleId, section: decision.section, grade: decision.grade };
}

/** The error event for something thrown: the error's stable code and its message, never the value itself. */
export function errorEvent(
  clock: Pick<Clock, 'wallNow'>,
  kind: EmulatorErrorEvent['kind'],
  error: unknown,
  callUuid?: string,
): EmulatorErrorEvent {
  return stamped(clock, {
    kind,
    code: error instanceof TrunklineError ? error.code : 'UNKNOWN',
    message: describeError(error),
    ...(callUuid !== undefined ? { callUuid } : {}),
  });
}
