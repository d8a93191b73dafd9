// Why a call ended, from its ladder: the final response, the hangup code (from `X-ZT-Hangup-Code`, else inferred
// from the status and marked so), the explanation of that code, and the values from the call's own INVITE that
// the explanation tells the user to check.

import { lookupHangupCode } from '../../policy/index.js';
import { formatSdpSummary } from '../ladder/sdp-summary.js';
import type { LadderOutcome, LadderResponseRef, SipLadder } from '../ladder/sip-ladder.js';
import { describeCause, explainHangup, type CauseExplanation } from './hangup-explanation.js';
import type { EvidenceField } from './what-to-check.js';

export interface CallEvidence {
  readonly field: EvidenceField;
  readonly label: string;
  readonly value: string;
}

export interface CallExplanation {
  readonly callId: string | undefined;
  readonly outcome: LadderOutcome;
  readonly finalResponse?: LadderResponseRef;
  /** The hangup code: from the header, or the only candidate of the status (then `origin: 'inferred'`). */
  readonly hangupCode?: { readonly code: number; readonly origin: 'header' | 'inferred' };
  /** The Reason header (RFC 3326) that came with it. */
  readonly reason?: string;
  /** The explained cause (from the header), or every candidate for the status (each `inferred`). */
  readonly causes: readonly CauseExplanation[];
  /** Values from the call's INVITE for the fields the causes point at. */
  readonly evidence: readonly CallEvidence[];
  readonly headline: string;
}

export function explainCall(ladder: SipLadder): CallExplanation {
  const final = ladder.finalResponse;
  const headerCode = ladder.hangup?.code;
  const base = {
    callId: ladder.callId,
    outcome: ladder.outcome,
    ...(final ? { finalResponse: final } : {}),
    ...(ladder.hangup?.reason !== undefined ? { reason: ladder.hangup.reason } : {}),
  };
  if (headerCode !== undefined) {
    const entry = lookupHangupCode(headerCode);
    const causes = entry ? [describeCause(entry, false)] : [];
    return {
      ...base,
      hangupCode: { code: headerCode, origin: 'header' },
      causes,
      evidence: evidenceFor(ladder, causes),
      headline: entry
        ? `${describeOutcome(ladder)} Hangup code ${headerCode} ${entry.causeName}: ${entry.meaning}`
        : `${describeOutcome(ladder)} Hangup code ${headerCode} is not in the public Zentrunk table.`,
    };
  }
  if (final !== undefined && final.status >= 300) {
    const causes = explainHangup({ kind: 'status', status: final.status }).causes;
    const only = causes.length === 1 ? causes[0] : undefined;
    return {
      ...base,
      ...(only ? { hangupCode: { code: only.code, origin: 'inferred' as const } } : {}),
      causes,
      evidence: evidenceFor(ladder, causes),
      headline:
        causes.length > 0
          ? `${describeOutcome(ladder)} No X-ZT-Hangup-Code header: ${causes.length} cause` +
            `${causes.length === 1 ? '' : 's'} fit SIP ${final.status} (inferred).`
          : `${describeOutcome(ladder)} No X-ZT-Hangup-Code header, and no Zentrunk cause is known for SIP ${final.status}.`,
    };
  }
  return { ...base, causes: [], evidence: [], headline: describeOutcome(ladder) };
}

function describeOutcome(ladder: SipLadder): string {
  return ladder.outcome.summary;
}

function evidenceFor(ladder: SipLadder, causes: readonly CauseExplanation[]): CallEvidence[] {
  const invite = ladder.invite;
  if (invite === undefined) return [];
  const fields = new Set(causes.flatMap((cause) => cause.evidenceFields));
  const evidence: CallEvidence[] = [];
  const add = (field: EvidenceField, label: string, value: string | undefined): void => {
    if (fields.has(field)) evidence.push({ field, label, value: value ?? '(absent)' });
  };
  add('request-uri', 'Request-URI', invite.requestUri);
  add('from', 'From', invite.from);
  add('to', 'To', invite.to);
  add('p-asserted-identity', 'P-Asserted-Identity', invite.pAssertedIdentity);
  add(
    'credentials',
    'Credentials',
    invite.credentials ? 'sent (Authorization/Proxy-Authorization)' : 'none sent',
  );
  add('sdp', 'SDP offer', invite.sdp ? formatSdpSummary(invite.sdp) : undefined);
  add('transport', 'Transport', ladder.arrows[invite.arrow]?.transport.toUpperCase());
  return evidence;
}
