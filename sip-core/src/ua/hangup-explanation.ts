// Why a call ended, in Zentrunk's terms: the final SIP status and reason, the `X-ZT-Hangup-Code` and `Reason`
// headers when the trunk sent them, mapped through the policy catalogue to code, name, source, meaning and
// remedy (BEHAVIOUR.md §13). Pure: the call collects the evidence, this decides what it means.
//
// Precedence, most trustworthy first:
//   1. X-ZT-Hangup-Code (the trunk said which code)                      basis 'x-zt-hangup-code', inferred false
//   2. Reason: SIP;cause=…;text="<cause_name>" naming one catalogue cause   basis 'reason-header'
//   3. the call flow (our CANCEL, a BYE either way, a caller's CANCEL)      basis 'call-flow', inferred true
//   4. the SIP status alone (`candidatesForSipStatus`)                      basis 'sip-status', inferred true
// An inferred cause is a guess the UI must present as one: a status alone never identifies a Zentrunk cause.

import { parseReasonList } from '../sip/message/index.js';
import {
  candidatesForSipStatus,
  lookupHangupCauseName,
  lookupHangupCode,
  mapPbxOutcome,
  type HangupCauseEntry,
  type HangupSource,
} from '../policy/index.js';

/** How the call ended, as the phone saw it. */
export type CallEnding =
  /** Our INVITE got a final non-2xx response. */
  | 'rejected'
  /** We cancelled our INVITE before it was answered (the 487 is the consequence). */
  | 'cancelled'
  /** The far end (the trunk) sent BYE after answer. */
  | 'remote-bye'
  /** We sent BYE after answer. */
  | 'local-bye'
  /** The caller cancelled an inbound call before we answered. */
  | 'remote-cancel'
  /** We declined an inbound call (the status we answered is the evidence). */
  | 'declined'
  /** Our request got no response at all (Timer B/F: treated as 408, RFC 3261 §8.1.3.1). */
  | 'no-response'
  /** The connection to the trunk failed (treated as 503, RFC 3261 §8.1.3.1). */
  | 'transport-failure';

export interface HangupEvidence {
  readonly ending: CallEnding;
  /** The final status of the INVITE (or of our answer when we declined); undefined for BYE-ended calls. */
  readonly statusCode?: number;
  readonly reasonPhrase?: string;
  /** The raw `X-ZT-Hangup-Code` value of the final response or of the BYE, when present. */
  readonly hangupCodeHeader?: string;
  /** The raw `Reason` values of the final response, the BYE or the CANCEL. */
  readonly reasonHeaders?: readonly string[];
}

export type HangupBasis = 'x-zt-hangup-code' | 'reason-header' | 'call-flow' | 'sip-status' | 'none';

export interface HangupExplanation {
  readonly sipStatus: number | undefined;
  readonly sipReason: string | undefined;
  readonly code: number | undefined;
  readonly name: string | undefined;
  readonly source: HangupSource | undefined;
  readonly meaning: string;
  readonly remedy: string | undefined;
  /** True when the cause is our guess from the status or the call flow, not something the trunk said. */
  readonly inferred: boolean;
  readonly basis: HangupBasis;
  /** Other causes that fit the same evidence (when inferred or ambiguous). */
  readonly alternatives: readonly { readonly code: number; readonly name: string }[];
  readonly hangupCodeHeader: string | undefined;
  readonly reasonHeader: string | undefined;
}

interface ReasonFacts {
  readonly cause: number | undefined;
  readonly text: string | undefined;
}

function sipReasonOf(values: readonly string[]): ReasonFacts | undefined {
  for (const value of values) {
    try {
      const sip = parseReasonList(value).find((reason) => reason.protocol.toUpperCase() === 'SIP');
      if (sip !== undefined) return { cause: sip.cause, text: sip.text };
    } catch {
      // A malformed Reason is ignored: it is evidence, not protocol.
    }
  }
  return undefined;
}

function statusFits(entry: HangupCauseEntry, status: number | undefined): boolean {
  if (status === undefined) return true;
  return entry.sipStatus === status || entry.alternativeStatuses.includes(status);
}

function alternativesOf(entries: readonly HangupCauseEntry[], chosen: HangupCauseEntry) {
  return entries
    .filter((entry) => entry.code !== chosen.code)
    .slice(0, 6)
    .map((entry) => ({ code: entry.code, name: entry.causeName }));
}

/** The source this entry blames for this ending: the first the entry allows, preferring the far side's. */
function sourceFor(entry: HangupCauseEntry, preferred: HangupSource | undefined): HangupSource | undefined {
  if (preferred !== undefined && entry.sources.includes(preferred)) return preferred;
  return entry.sources[0];
}

const CALL_FLOW: Partial<Record<CallEnding, { code: number; source: HangupSource }>> = {
  cancelled: { code: 4550, source: 'customer' },
  'remote-bye': { code: 3000, source: 'carrier' },
  'local-bye': { code: 3010, source: 'customer' },
};

/** Explains a call's end from the evidence the phone collected. */
export function explainHangup(evidence: HangupEvidence): HangupExplanation {
  const reasonHeaders = evidence.reasonHeaders ?? [];
  const base = {
    sipStatus: evidence.statusCode,
    sipReason: evidence.reasonPhrase,
    hangupCodeHeader: evidence.hangupCodeHeader,
    reasonHeader: reasonHeaders[0],
  };
  // On an outbound call the far side is the carrier; on an inbound call we are the customer's side.
  const preferred: HangupSource | undefined =
    evidence.ending === 'declined' || evidence.ending === 'remote-cancel' ? 'customer' : 'carrier';
  const explained = (
    entry: HangupCauseEntry,
    basis: HangupBasis,
    inferred: boolean,
    alternatives: readonly HangupCauseEntry[] = [],
  ): HangupExplanation => ({
    ...base,
    code: entry.code,
    name: entry.causeName,
    source: sourceFor(entry, preferred),
    meaning: entry.meaning,
    remedy: entry.remedy,
    inferred,
    basis,
    alternatives: alternativesOf(alternatives, entry),
  });

  // 1. The trunk named the code.
  const headerText = evidence.hangupCodeHeader?.trim();
  if (headerText !== undefined && /^\d{4}$/.test(headerText)) {
    const code = Number(headerText);
    const entry = lookupHangupCode(code);
    if (entry !== undefined) return explained(entry, 'x-zt-hangup-code', false);
    const reason = sipReasonOf(reasonHeaders);
    return {
      ...base,
      code,
      name: reason?.text,
      source: undefined,
      meaning: `Code ${code} is not in Zentrunk's public hangup table; the trunk still sent it.`,
      remedy: undefined,
      inferred: false,
      basis: 'x-zt-hangup-code',
      alternatives: [],
    };
  }

  // 2. The trunk named the cause in a Reason header.
  const reason = sipReasonOf(reasonHeaders);
  if (reason?.text !== undefined) {
    const named = lookupHangupCauseName(reason.text);
    const status = evidence.statusCode ?? reason.cause;
    const fitting = named.filter((entry) => statusFits(entry, status));
    const candidates = fitting.length > 0 ? fitting : named;
    const [first] = candidates;
    if (first !== undefined) return explained(first, 'reason-header', candidates.length > 1, candidates);
  }

  // 3. What the call flow tells.
  const flow = CALL_FLOW[evidence.ending];
  if (flow !== undefined) {
    const entry = lookupHangupCode(flow.code)!;
    return { ...explained(entry, 'call-flow', true), source: flow.source };
  }
  if (evidence.ending === 'remote-cancel' || evidence.ending === 'declined') {
    const mapped = mapPbxOutcome(
      evidence.ending === 'remote-cancel'
        ? { kind: 'cancelled' }
        : { kind: 'response', status: evidence.statusCode ?? 480 },
    );
    const entry = lookupHangupCode(mapped.cause.code)!;
    return { ...explained(entry, 'call-flow', true), source: mapped.cause.source };
  }
  if (evidence.ending === 'no-response' || evidence.ending === 'transport-failure') {
    const noResponse = evidence.ending === 'no-response';
    return {
      ...base,
      code: undefined,
      name: undefined,
      source: undefined,
      meaning: noResponse
        ? 'The trunk never answered the request: no response arrived before the transaction timed out.'
        : 'The connection to the trunk failed, so the request never reached it.',
      remedy:
        'Check the termination domain, transport and port of the profile, that your firewall lets SIP out ' +
        '(5060 UDP/TCP, 5061 TLS) and, on TLS, that the trunk certificate is trusted.',
      inferred: true,
      basis: 'none',
      alternatives: [],
    };
  }

  // 4. The status alone.
  const candidates = evidence.statusCode === undefined ? [] : candidatesForSipStatus(evidence.statusCode);
  const primary = candidates.filter((c) => c.primary).map((c) => c.entry);
  const ordered = [...primary, ...candidates.filter((c) => !c.primary).map((c) => c.entry)];
  const [best] = ordered;
  if (best !== undefined) return explained(best, 'sip-status', true, ordered);
  return {
    ...base,
    code: undefined,
    name: undefined,
    source: undefined,
    meaning:
      evidence.statusCode === undefined
        ? 'The call ended without a SIP status to explain it.'
        : `No Zentrunk cause is known for SIP ${evidence.statusCode}.`,
    remedy: undefined,
    inferred: true,
    basis: 'none',
    alternatives: [],
  };
}
