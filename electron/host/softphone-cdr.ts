// An ended softphone call → the store's CDR (`recorded_by: 'softphone'`) and its own SIP trace, so History shows the
// softphone's calls — with the hangup cause the user agent explained — whichever trunk they went through (a real
// Zentrunk trunk writes no CDR here; the embedded emulator writes its own record of the other side, ADR 0140).
// Pure: the call's facts in, the record out. Money is not rated: the softphone does not know the account's rates.

import {
  classifyNumber,
  formatZentrunkTime,
  type CallEnd,
  type NewCallDetailRecord,
  type StoredSipMessage,
} from '../../sip-core/src/index.js';

export interface SoftphoneCallFacts {
  /** The host's id of the call: the CDR's `call_uuid` (calls.ts says so). */
  readonly callUuid: string;
  readonly sipCallId: string | undefined;
  readonly direction: 'outbound' | 'inbound';
  readonly from: string;
  readonly to: string;
  readonly trunkDomain: string;
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly end: CallEnd;
  readonly remote: { readonly address: string; readonly port: number } | undefined;
}

const ZERO_USD = '0.00000';
/** The catalogue has no code for "the UA could not say"; 0 keeps the column numeric and sorts first. */
const UNKNOWN_CAUSE_CODE = 0;

export function buildSoftphoneCdr(facts: SoftphoneCallFacts): NewCallDetailRecord {
  const { end } = facts;
  const { timings, hangup } = end;
  const answeredS = Math.max(0, Math.round((timings.durationMs ?? 0) / 1000));
  const country = (number: string) => {
    const classified = classifyNumber(number);
    return classified.ok ? (classified.country ?? null) : null;
  };
  return {
    call_uuid: facts.callUuid,
    call_id: facts.sipCallId ?? null,
    from_number: facts.from || 'anonymous',
    to_number: facts.to || 'unknown',
    call_direction: facts.direction,
    call_duration: answeredS,
    bill_duration: answeredS,
    billed_duration: answeredS,
    initiation_time: formatZentrunkTime(timings.startedAtMs),
    answer_time: timings.answeredAtMs === undefined ? null : formatZentrunkTime(timings.answeredAtMs),
    end_time: formatZentrunkTime(Math.max(timings.endedAtMs, timings.startedAtMs)),
    hangup_cause_name: hangup.name ?? 'unknown',
    hangup_cause_code: hangup.code ?? UNKNOWN_CAUSE_CODE,
    hangup_source: hangup.source ?? (end.endedBy === 'local' ? 'customer' : 'zentrunk'),
    total_rate: ZERO_USD,
    total_amount: ZERO_USD,
    trunk_domain: facts.trunkDomain,
    from_country: country(facts.from),
    to_country: country(facts.to),
    transport_protocol: facts.transport,
    srtp: end.media?.srtpSuite !== undefined,
    secure_trunking: false,
    secure_trunking_rate: ZERO_USD,
    stir_verification: 'Not Applicable',
    recorded_by: 'softphone',
    sip_status: hangup.sipStatus ?? null,
    sip_reason: hangup.sipReason ?? null,
    codec: end.media?.codec ?? null,
    srtp_suite: end.media?.srtpSuite ?? null,
    source_address: facts.remote?.address ?? null,
    source_port: facts.remote?.port ?? null,
    post_dial_delay_ms: timings.postDialDelayMs ?? null,
    extras: {
      outcome: end.outcome,
      ended_by: end.endedBy,
      hangup_basis: hangup.basis,
      hangup_inferred: hangup.inferred,
      ...(hangup.remedy !== undefined ? { remedy: hangup.remedy } : {}),
    },
  };
}

/** Where a trace message's Call-ID header is (compact form `i` too, RFC 3261 §7.3.3). */
const CALL_ID_HEADER = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im;
/** Only the head of a message is searched: the Call-ID is a header, never in a body. */
const HEAD_BYTES = 2048;

/** The Call-ID of a SIP message as it crossed the wire, or undefined when it has none. */
export function callIdOf(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEAD_BYTES)).toString(
    'latin1',
  );
  const end = head.indexOf('\r\n\r\n');
  return CALL_ID_HEADER.exec(end < 0 ? head : head.slice(0, end))?.[1];
}

/** A call's messages out of the user agent's recent trace. */
export function traceOfCall(
  messages: readonly StoredSipMessage[],
  sipCallId: string | undefined,
): StoredSipMessage[] {
  if (sipCallId === undefined) return [];
  return messages.filter((m) => callIdOf(m.bytes) === sipCallId);
}
