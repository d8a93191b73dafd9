// Mapping SIP outcomes of the far legs to hangup causes: the customer's PBX on inbound calls (BEHAVIOUR.md
// §5.3), the carrier on outbound calls (§4.3), and failures of mid-call requests (§6). Each mapping returns the
// grade of the row it used; statuses no row names fall back to the nearest class, graded I.

import { causeOf } from '../catalogue/hangup-cause-lookup.js';
import type { EvidenceGrade, HangupCause } from '../evidence.js';
import type { PolicySettings } from '../settings/policy-settings.js';

export interface MappedCause {
  readonly cause: HangupCause;
  readonly grade: EvidenceGrade;
}

/** How a leg's INVITE ended, when it did not end in 2xx. */
export type LegOutcome =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'timeout' }
  /** The calling side cancelled before answer. */
  | { readonly kind: 'cancelled' };

const mapped = (code: number, grade: EvidenceGrade, source?: 'customer' | 'carrier'): MappedCause => ({
  cause: causeOf(code, source),
  grade,
});

const PBX_RESPONSES: ReadonlyMap<number, MappedCause> = new Map([
  [401, mapped(4020, 'D-old')],
  [407, mapped(4150, 'O')],
  [403, mapped(4060, 'D')],
  [404, mapped(4090, 'O', 'customer')],
  [408, mapped(4170, 'O')],
  [480, mapped(4350, 'O')],
  [486, mapped(4410, 'O', 'customer')],
  [488, mapped(4640, 'I')],
  [501, mapped(5040, 'I')],
  [503, mapped(5360, 'O')],
  [504, mapped(5340, 'I')],
]);

/** The cause of an inbound call the PBX did not answer (§5.3). */
export function mapPbxOutcome(outcome: LegOutcome): MappedCause {
  if (outcome.kind === 'timeout') return mapped(4170, 'O');
  if (outcome.kind === 'cancelled') return mapped(4420, 'O');
  const exact = PBX_RESPONSES.get(outcome.status);
  if (exact) return exact;
  // No §5.3 row: 5xx/6xx read as "PBX unavailable", other 4xx as "callee unavailable" (grade I).
  return outcome.status >= 500 ? mapped(5360, 'I') : mapped(4350, 'I');
}

/** A carrier outcome and the response Zentrunk relays to the customer (§4.3). */
export interface CarrierMapping extends MappedCause {
  readonly relayStatus: number;
  readonly relayReason: string;
}

const carrier = (
  code: number,
  grade: EvidenceGrade,
  relayStatus: number,
  relayReason: string,
): CarrierMapping => ({
  ...mapped(code, grade, 'carrier'),
  relayStatus,
  relayReason,
});

const CARRIER_RESPONSES: ReadonlyMap<number, CarrierMapping> = new Map([
  [401, carrier(4010, 'D-old', 503, 'Service Unavailable')],
  [403, carrier(4040, 'I', 403, 'Forbidden')],
  [404, carrier(4090, 'O', 404, 'Not Found')],
  [407, carrier(4150, 'I', 407, 'Proxy Authentication Required')],
  [408, carrier(4160, 'I', 503, 'Service Unavailable')],
  [480, carrier(4340, 'O', 480, 'Temporarily Unavailable')],
  [486, carrier(4410, 'O', 486, 'Busy Here')],
  [487, carrier(4420, 'O', 487, 'Request Terminated')],
  [488, carrier(4630, 'O', 488, 'Not Acceptable Here')],
  [501, carrier(5030, 'I', 501, 'Not Implemented')],
  [502, carrier(5300, 'O', 502, 'Bad Gateway')],
  [503, carrier(5350, 'O', 503, 'Service Unavailable')],
  [504, carrier(5330, 'O', 504, 'Server Time-out')],
  [600, carrier(6000, 'I', 600, 'Busy Everywhere')],
  [603, carrier(6040, 'I', 603, 'Decline')],
  [604, carrier(6020, 'I', 604, 'Does Not Exist Anywhere')],
  [606, carrier(6070, 'I', 606, 'Not Acceptable')],
]);

/** The cause and relayed response of an outbound call the carrier did not answer (§4.3). */
export function mapCarrierOutcome(outcome: LegOutcome): CarrierMapping {
  if (outcome.kind === 'timeout') return carrier(4160, 'O', 503, 'Service Unavailable');
  if (outcome.kind === 'cancelled') return carrier(4420, 'O', 487, 'Request Terminated');
  const exact = CARRIER_RESPONSES.get(outcome.status);
  if (exact) return exact;
  // No §4.3 row: "no more routes" for 5xx/6xx, "callee unavailable" for other 4xx (grade I).
  return outcome.status >= 500
    ? carrier(5000, 'I', 503, 'Service Unavailable')
    : carrier(4340, 'I', 480, 'Temporarily Unavailable');
}

/** What the emulator does when one of its §20 timers expires: the hangup cause and, before answer, the response. */
export interface TimerExpiry {
  /** The timer's length from the settings, or null when it is off. */
  readonly timeoutMs: number | null;
  readonly cause: HangupCause;
  /** The final response to the caller for a call not yet answered; undefined when the call ends with BYE. */
  readonly response: { readonly status: number; readonly reasonPhrase: string } | undefined;
}

/**
 * §20: no answer within the ring time → `480 Temporarily Unavailable` + 6030 `alloted_timeout`; no RTP from
 * either side of an answered call for the inactivity time → BYE on both legs + 3020 `rtp_timeout`.
 */
export function timerExpiry(timer: 'ring' | 'rtp-inactivity', settings: PolicySettings): TimerExpiry {
  return timer === 'ring'
    ? {
        timeoutMs: settings.ringTimeoutMs,
        cause: causeOf(6030),
        response: { status: 480, reasonPhrase: 'Temporarily Unavailable' },
      }
    : { timeoutMs: settings.rtpInactivityTimeoutMs, cause: causeOf(3020), response: undefined };
}

/**
 * The cause when a mid-call request (re-INVITE, UPDATE) fails and Zentrunk ends the call (§6): 4xx or no answer
 * from the customer 5220, 5xx/6xx 5230; from the carrier 5310 and 5320. A 491 (glare) is retried, not fatal
 * (RFC 3261 §14.1), so it maps to undefined, as do successes.
 */
export function mapInDialogFailure(
  party: 'customer' | 'carrier',
  outcome: { readonly kind: 'response'; readonly status: number } | { readonly kind: 'timeout' },
): MappedCause | undefined {
  if (outcome.kind === 'response' && (outcome.status < 400 || outcome.status === 491)) return undefined;
  const serverClass = outcome.kind === 'response' && outcome.status >= 500;
  if (party === 'customer') return serverClass ? mapped(5230, 'D') : mapped(5220, 'O');
  return serverClass ? mapped(5320, 'D') : mapped(5310, 'O');
}
