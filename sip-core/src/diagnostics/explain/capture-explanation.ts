// Everything `trunkline explain file.pcap` says about a capture: per call its ladder, final response, hangup code
// and explanation, and its RTP streams; plus what in the file was not SIP or RTP.

import { buildLadder } from '../ladder/build-ladder.js';
import type { SipLadder } from '../ladder/sip-ladder.js';
import type { CaptureAnalysis, RtpStreamSummary } from '../pcap/capture-analyzer.js';
import { explainCall, type CallExplanation } from './call-explanation.js';

export interface CapturedCallExplanation {
  readonly callId: string;
  readonly ladder: SipLadder;
  readonly explanation: CallExplanation;
  readonly rtpStreams: readonly RtpStreamSummary[];
}

export interface CaptureExplanation {
  readonly format: CaptureAnalysis['format'];
  readonly packets: number;
  readonly calls: readonly CapturedCallExplanation[];
  /** Media streams recognised without an SDP of the capture (no call to attach them to). */
  readonly unmatchedRtpStreams: readonly RtpStreamSummary[];
  readonly skipped: CaptureAnalysis['skipped'];
}

export function explainCapture(analysis: CaptureAnalysis): CaptureExplanation {
  const calls = analysis.calls.map((call) => {
    const ladder = buildLadder(call.messages);
    return { callId: call.callId, ladder, explanation: explainCall(ladder), rtpStreams: call.rtpStreams };
  });
  return {
    format: analysis.format,
    packets: analysis.packets,
    calls,
    unmatchedRtpStreams: analysis.rtpStreams.filter((s) => s.callId === undefined),
    skipped: analysis.skipped,
  };
}
