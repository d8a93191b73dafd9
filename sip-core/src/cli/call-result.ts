// The result object `trunkline call --json` prints for each call: plain data a script or a CI job reads. Built from
// the call's CallEnd and what the command saw on the way (DTMF received, the transfer's outcome, warnings).

import type { CallEnd, TransferOutcome } from '../ua/index.js';
import { meetsExpectation, type Expectation } from './call-flags.js';

export interface RtpDirectionSummary {
  readonly packets: number;
  readonly octets: number;
  readonly dtmfPackets: number;
}

export interface CallResult {
  readonly direction: 'outbound' | 'inbound';
  readonly number: string;
  readonly callerId: string;
  readonly outcome: string;
  readonly endedBy: string;
  readonly sipStatus: number | undefined;
  readonly sipReason: string | undefined;
  readonly hangup: {
    readonly code: number | undefined;
    readonly name: string | undefined;
    readonly source: string | undefined;
    readonly meaning: string;
    readonly remedy: string | undefined;
    /** True when no X-ZT-Hangup-Code or Reason said so: the cause is our reading of the status or the flow. */
    readonly inferred: boolean;
    readonly basis: string;
  };
  readonly timings: {
    readonly postDialDelayMs: number | undefined;
    readonly timeToAnswerMs: number | undefined;
    readonly durationMs: number | undefined;
  };
  readonly codec: string | undefined;
  readonly srtp: string | undefined;
  readonly rtp:
    | {
        readonly sent: RtpDirectionSummary;
        readonly received: RtpDirectionSummary & { readonly lost: number; readonly jitterMs: number };
      }
    | undefined;
  readonly dtmfReceived: string;
  readonly transfer: TransferOutcome | undefined;
  readonly warnings: readonly string[];
  readonly expected: string;
  readonly matched: boolean;
}

export function buildCallResult(init: {
  readonly direction: 'outbound' | 'inbound';
  readonly number: string;
  readonly callerId: string;
  readonly end: CallEnd;
  readonly dtmfReceived: string;
  readonly transfer: TransferOutcome | undefined;
  readonly warnings: readonly string[];
  readonly expectText: string;
  readonly expectation: Expectation;
}): CallResult {
  const { end } = init;
  const stats = end.stats;
  const result: Omit<CallResult, 'matched'> = {
    direction: init.direction,
    number: init.number,
    callerId: init.callerId,
    outcome: end.outcome,
    endedBy: end.endedBy,
    sipStatus: end.hangup.sipStatus,
    sipReason: end.hangup.sipReason,
    hangup: {
      code: end.hangup.code,
      name: end.hangup.name,
      source: end.hangup.source,
      meaning: end.hangup.meaning,
      remedy: end.hangup.remedy,
      inferred: end.hangup.inferred,
      basis: end.hangup.basis,
    },
    timings: {
      postDialDelayMs: end.timings.postDialDelayMs,
      timeToAnswerMs: end.timings.timeToAnswerMs,
      durationMs: end.timings.durationMs,
    },
    codec: end.media?.codec,
    srtp: end.media?.srtpSuite,
    rtp:
      stats === undefined
        ? undefined
        : {
            sent: {
              packets: stats.sent.packets,
              octets: stats.sent.octets,
              dtmfPackets: stats.sent.dtmfPackets,
            },
            received: {
              packets: stats.received.packets,
              octets: stats.received.octets,
              dtmfPackets: stats.received.dtmfPackets,
              lost: stats.received.lost,
              jitterMs: Math.round(stats.received.jitterMs * 100) / 100,
            },
          },
    dtmfReceived: init.dtmfReceived,
    transfer: init.transfer,
    warnings: init.warnings,
    expected: init.expectText,
  };
  return {
    ...result,
    matched: meetsExpectation(init.expectation, {
      outcome: end.outcome,
      sipStatus: end.hangup.sipStatus,
      hangupCode: end.hangup.code,
      hangupName: end.hangup.name,
    }),
  };
}

/** The human summary: a few lines for a terminal. */
export function formatCallResult(result: CallResult): string {
  const lines: string[] = [];
  const status =
    result.sipStatus === undefined ? '' : ` (SIP ${result.sipStatus} ${result.sipReason ?? ''})`.trimEnd();
  lines.push(`${result.outcome}${status}, ended by ${result.endedBy}`);
  const h = result.hangup;
  if (h.code !== undefined) {
    lines.push(
      `hangup ${h.code} ${h.name ?? ''} (${h.source ?? 'unknown source'}${h.inferred ? ', inferred' : ''}): ${h.meaning}`,
    );
  } else {
    lines.push(`hangup: ${h.meaning}`);
  }
  if (h.remedy !== undefined) lines.push(`remedy: ${h.remedy}`);
  const t = result.timings;
  const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
  lines.push(
    `post-dial delay ${seconds(t.postDialDelayMs)}, answer after ${seconds(t.timeToAnswerMs)}, duration ${seconds(t.durationMs)}`,
  );
  if (result.codec !== undefined)
    lines.push(`media ${result.codec}, ${result.srtp ?? 'plain RTP (no SRTP)'}`);
  if (result.rtp !== undefined) {
    lines.push(
      `RTP sent ${result.rtp.sent.packets} packets, received ${result.rtp.received.packets} (lost ${result.rtp.received.lost}, jitter ${result.rtp.received.jitterMs} ms)`,
    );
  }
  if (result.dtmfReceived.length > 0) lines.push(`DTMF received ${result.dtmfReceived}`);
  if (result.transfer !== undefined) {
    lines.push(
      `transfer ${result.transfer.ok ? 'succeeded' : 'failed'}: ${result.transfer.statusCode ?? ''} ${result.transfer.reasonPhrase}`.trimEnd(),
    );
  }
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  lines.push(result.matched ? `as expected (${result.expected})` : `NOT as expected (${result.expected})`);
  return lines.join('\n');
}
