// One stored call's diagnosis, from its CDR and SIP trace: the ladder (diagnostics' model, copied into the
// contract's plain shapes, with each message's text for "click an arrow"), the explanation (the trace's
// X-ZT-Hangup-Code first, else the code the CDR recorded, else what the final status suggests:
// docs/adr/0102), the policy rule that fired, codec, SRTP and RTP statistics.

import {
  buildLadder,
  explainCall,
  explainHangup,
  hostAndPort,
  ladderInputFromTrace,
  maskSdpKeys,
  type CallDetailRecord,
  type CauseExplanation,
  type SdpSummary,
  type SipLadder,
  type StoredSipMessage,
} from '../../sip-core/src/index.js';
import type {
  CallDiagnosis,
  CallLadderView,
  CauseView,
  HangupExplanationView,
  RtpDirectionStats,
  SdpSummaryView,
} from '../common/index.js';
import { toCallSummary } from './history-mapping.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

export function diagnoseCall(cdr: CallDetailRecord, trace: readonly StoredSipMessage[]): CallDiagnosis {
  const ladder = trace.length > 0 ? buildLadder(trace.map(ladderInputFromTrace)) : undefined;
  return {
    call: toCallSummary(cdr),
    record: recordFields(cdr),
    ladder: ladder && ladderView(ladder, (index) => messageText(trace[index])),
    explanation: explanationOf(cdr, ladder),
    policyRule:
      cdr.policy_rule_id === null
        ? undefined
        : { ruleId: cdr.policy_rule_id, section: cdr.policy_section, grade: cdr.policy_grade },
    media: {
      codec: cdr.codec,
      srtpSuite: cdr.srtp_suite,
      sent: rtpStats(cdr.rtp_stats?.sent),
      received: rtpStats(cdr.rtp_stats?.received),
    },
    hasCapture: false,
  };
}

/** The ladder in the contract's shape; `textOf` gives the full text of the message an arrow was built from. */
export function ladderView(ladder: SipLadder, textOf: (index: number) => string): CallLadderView {
  return {
    callId: ladder.callId,
    participants: ladder.participants.map((p) => ({
      id: p.id,
      label: p.label,
      endpoint: hostAndPort(p.address, p.port),
      local: p.local,
    })),
    arrows: ladder.arrows.map((a) => ({
      index: a.index,
      offsetMs: a.offsetMs,
      from: a.from,
      to: a.to,
      transport: a.transport,
      kind: a.kind,
      method: a.method,
      ...(a.status !== undefined ? { status: a.status } : {}),
      label: a.label,
      retransmission: a.retransmission,
      ...(a.transactionId !== undefined ? { transactionId: a.transactionId } : {}),
      ...(a.sdp !== undefined ? { sdp: sdpView(a.sdp) } : {}),
      ...(a.hangupCode !== undefined ? { hangupCode: a.hangupCode } : {}),
      // Arrows are built one per input message, in order.
      text: textOf(a.index),
    })),
    outcome: { kind: ladder.outcome.kind, summary: ladder.outcome.summary },
    ...(ladder.finalResponse
      ? {
          finalResponse: {
            status: ladder.finalResponse.status,
            reasonPhrase: ladder.finalResponse.reasonPhrase,
          },
        }
      : {}),
    ...(ladder.lastResponse
      ? {
          lastResponse: {
            status: ladder.lastResponse.status,
            reasonPhrase: ladder.lastResponse.reasonPhrase,
            method: ladder.lastResponse.method,
          },
        }
      : {}),
  };
}

/** SDES keys are masked as in a PCAP export. */
function messageText(message: StoredSipMessage | undefined): string {
  return message === undefined ? '' : decoder.decode(maskSdpKeys(message.bytes));
}

function sdpView(sdp: SdpSummary): SdpSummaryView {
  return {
    direction: sdp.direction,
    codecs: sdp.codecs,
    address: sdp.address,
    port: sdp.port,
    profile: sdp.profile,
    cryptoSuites: sdp.cryptoSuites,
  };
}

export function causeView(cause: CauseExplanation): CauseView {
  return {
    code: cause.code,
    causeName: cause.causeName,
    sipStatus: cause.sipStatus,
    meaning: cause.meaning,
    remedy: cause.remedy,
    whatToCheck: cause.whatToCheck,
    inferred: cause.inferred,
    grade: cause.grade,
  };
}

function explanationOf(cdr: CallDetailRecord, ladder: SipLadder | undefined): HangupExplanationView {
  const fromLadder = ladder && explainCall(ladder);
  const evidence = (fromLadder?.evidence ?? []).map((e) => ({ label: e.label, value: e.value }));
  if (fromLadder?.hangupCode?.origin === 'header') {
    return {
      headline: fromLadder.headline,
      hangupCode: fromLadder.hangupCode,
      causes: fromLadder.causes.map(causeView),
      evidence,
    };
  }
  // The recorder knew the code (the emulator decided it, or the softphone read it): it beats an inference.
  const fromRecord = explainHangup({ kind: 'code', code: cdr.hangup_cause_code });
  if (fromRecord.causes.length > 0 || fromLadder === undefined) {
    return {
      headline: fromRecord.headline,
      hangupCode: { code: cdr.hangup_cause_code, origin: 'record' },
      causes: fromRecord.causes.map(causeView),
      evidence,
      ...(fromRecord.note !== undefined ? { note: fromRecord.note } : {}),
    };
  }
  return {
    headline: fromLadder.headline,
    ...(fromLadder.hangupCode ? { hangupCode: fromLadder.hangupCode } : {}),
    causes: fromLadder.causes.map(causeView),
    evidence,
  };
}

/** The CDR as a flat table for the details panel (JSON fields as text). */
function recordFields(cdr: CallDetailRecord): Record<string, string | number | boolean | null> {
  return Object.fromEntries(
    Object.entries(cdr).map(([key, value]) => [
      key,
      value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value),
    ]),
  );
}

/** Reads the media session's statistics, whatever names its writer used for them. */
function rtpStats(value: unknown): RtpDirectionStats | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const source = value as Record<string, unknown>;
  const pick = (...names: string[]): number | undefined => {
    for (const name of names) {
      const v = source[name];
      if (typeof v === 'number' && Number.isFinite(v)) return v;
    }
    return undefined;
  };
  const stats: RtpDirectionStats = {
    ...optional('packets', pick('packets', 'packetCount', 'packets_sent', 'packets_received')),
    ...optional('bytes', pick('bytes', 'octets', 'octetCount')),
    ...optional('lost', pick('lost', 'packetsLost', 'packets_lost')),
    ...optional('jitterMs', pick('jitterMs', 'jitter_ms')),
  };
  return Object.keys(stats).length > 0 ? stats : undefined;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
