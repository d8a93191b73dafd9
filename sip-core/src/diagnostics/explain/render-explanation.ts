// Plain-text renderings of explanations for the terminal and text reports, wrapped to 100 columns.

import { renderLadder } from '../ladder/render-ladder.js';
import { formatEndpoint } from '../ladder/sip-ladder.js';
import { labelledLines, wrapText } from '../ladder/wrap-text.js';
import type { RtpStreamSummary } from '../pcap/capture-analyzer.js';
import type { CallExplanation } from './call-explanation.js';
import type { CaptureExplanation } from './capture-explanation.js';
import type { CauseExplanation, HangupExplanation } from './hangup-explanation.js';

const WIDTH = 100;
const LABEL_WIDTH = 20;

export function renderHangupExplanation(explanation: HangupExplanation): string {
  const lines = wrapText(explanation.headline, WIDTH);
  for (const cause of explanation.causes) lines.push('', ...renderCause(cause));
  if (explanation.note !== undefined) lines.push('', ...wrapText(`Note: ${explanation.note}`, WIDTH));
  return lines.join('\n');
}

export function renderCallExplanation(explanation: CallExplanation): string {
  const lines = wrapText(explanation.headline, WIDTH);
  if (explanation.finalResponse) {
    const final = explanation.finalResponse;
    lines.push(...field('Final response', `${final.status} ${final.reasonPhrase} (to ${final.method})`));
  }
  if (explanation.hangupCode) {
    const { code, origin } = explanation.hangupCode;
    lines.push(
      ...field('Hangup code', origin === 'header' ? `${code} (X-ZT-Hangup-Code)` : `${code} (inferred)`),
    );
  }
  if (explanation.reason !== undefined) lines.push(...field('Reason', explanation.reason));
  for (const cause of explanation.causes) lines.push('', ...renderCause(cause));
  if (explanation.evidence.length > 0) {
    lines.push('', 'From this call:');
    for (const item of explanation.evidence) lines.push(...field(item.label, item.value));
  }
  return lines.join('\n');
}

export function renderCaptureExplanation(explanation: CaptureExplanation, source: string): string {
  const lines = [
    `${source}: ${explanation.format ?? 'capture'}, ${explanation.packets} packets, ` +
      `${explanation.calls.length} call${explanation.calls.length === 1 ? '' : 's'}`,
  ];
  explanation.calls.forEach((call, i) => {
    lines.push('', `=== Call ${i + 1} of ${explanation.calls.length} ${'='.repeat(80)}`.slice(0, WIDTH), '');
    lines.push(renderLadder(call.ladder, { width: WIDTH }));
    lines.push('', renderCallExplanation(call.explanation));
    if (call.rtpStreams.length > 0) {
      lines.push('', 'Media:');
      for (const stream of call.rtpStreams) lines.push(`  ${describeStream(stream)}`);
    }
  });
  if (explanation.unmatchedRtpStreams.length > 0) {
    lines.push('', 'RTP without a call in this capture:');
    for (const stream of explanation.unmatchedRtpStreams) lines.push(`  ${describeStream(stream)}`);
  }
  const skipped = Object.entries(explanation.skipped);
  if (skipped.length > 0) {
    lines.push('', `Not used: ${skipped.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  }
  return lines.join('\n');
}

function describeStream(stream: RtpStreamSummary): string {
  const what =
    stream.kind === 'rtp'
      ? `RTP  ssrc 0x${stream.ssrc!.toString(16).padStart(8, '0')} pt ${stream.payloadType}`
      : 'RTCP';
  const seconds = ((stream.lastMs - stream.firstMs) / 1000).toFixed(1);
  return (
    `${what}  ${formatEndpoint(stream.source)} -> ${formatEndpoint(stream.destination)}  ` +
    `${stream.packets} packets over ${seconds} s${stream.matchedBy === 'heuristic' ? ' (found by shape, no SDP)' : ''}`
  );
}

function renderCause(cause: CauseExplanation): string[] {
  const title = `${cause.inferred ? 'Candidate ' : ''}${cause.code} ${cause.causeName}${cause.inferred ? ' (inferred)' : ''}`;
  const status = cause.sipStatus !== undefined ? `${cause.sipStatus} ${cause.sipReason}` : cause.sipReason;
  const lines = [
    title,
    ...field('Source', cause.sources.join(' / ')),
    ...field('SIP status', status),
    ...field('Meaning', cause.meaning),
    ...field('What to check', cause.whatToCheck),
    ...field('Remedy', cause.remedy),
  ];
  const names = [...cause.aliases, ...(cause.cdrName !== undefined ? [`${cause.cdrName} (CDR)`] : [])];
  if (names.length > 0) lines.push(...field('Also known as', names.join(', ')));
  return lines;
}

function field(label: string, value: string): string[] {
  return labelledLines(`  ${label}`, value, WIDTH, LABEL_WIDTH + 2);
}
