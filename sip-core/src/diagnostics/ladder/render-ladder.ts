// The ladder as plain text for terminals (100 columns), CLI output and text reports. ASCII only, so that it
// survives any terminal, log viewer and JUnit <system-out>. Up to four participants are drawn as lanes; more fall
// back to one line per message.
//
//                      Caller                                              Zentrunk
//                 127.0.0.1:5070                                       127.0.0.1:5060
//   +0.000 s            |------------------------ INVITE -------------------------->|   T1
//                       |  sdp: sendrecv PCMU,telephone-event 127.0.0.1:6000        |
//   +0.012 s            |<--------------------- 403 Forbidden ----------------------|   T1
//                       |  X-ZT-Hangup-Code: 4190                                   |

import { formatSdpSummary } from './sdp-summary.js';
import { formatEndpoint, type LadderArrow, type SipLadder } from './sip-ladder.js';
import { labelledLines, wrapText } from './wrap-text.js';

export interface RenderLadderOptions {
  /** Total width in columns (default 100, at least 60). */
  readonly width?: number;
}

const TIME_COLUMN = 10;
const TAG_COLUMN = 8;
const MAX_LANES = 4;
const SUMMARY_LABEL_WIDTH = 16;

export function renderLadder(ladder: SipLadder, options: RenderLadderOptions = {}): string {
  const width = Math.max(60, options.width ?? 100);
  const lines: string[] = [];
  const transports = [...new Set(ladder.arrows.map((a) => a.transport.toUpperCase()))].join('/');
  lines.push(
    ...wrapText(
      `Call ${ladder.callId ?? '(no Call-ID)'}` +
        (ladder.arrows.length > 0 ? ` - ${ladder.arrows.length} messages over ${transports}` : ''),
      width,
    ),
  );
  lines.push(`Started ${new Date(ladder.startedAtMs).toISOString()}`);
  lines.push('');
  const n = ladder.participants.length;
  if (n >= 2 && n <= MAX_LANES) lines.push(...renderLanes(ladder, width));
  else lines.push(...renderList(ladder).map((line) => line.slice(0, width)));
  lines.push('');
  lines.push(...renderSummary(ladder, width));
  return lines.join('\n');
}

function renderLanes(ladder: SipLadder, width: number): string[] {
  const n = ladder.participants.length;
  const laneArea = width - TIME_COLUMN - TAG_COLUMN;
  const margin = Math.min(16, Math.floor(laneArea / (2 * n)));
  const gap = Math.floor((laneArea - 2 * margin) / (n - 1));
  const lanes = ladder.participants.map((_, i) => TIME_COLUMN + margin + i * gap);
  const lines: string[] = [];
  const header = (text: (i: number) => string): string => {
    const row = blank(width);
    ladder.participants.forEach((_, i) => place(row, centred(text(i), lanes[i]), text(i)));
    return trimEnd(row);
  };
  lines.push(header((i) => ladder.participants[i].label.slice(0, gap - 2)));
  lines.push(header((i) => formatEndpoint(ladder.participants[i]).slice(0, gap - 2)));
  for (const arrow of ladder.arrows) {
    const row = laneRow(width, lanes);
    place(row, 0, `+${(arrow.offsetMs / 1000).toFixed(3)} s`.padStart(TIME_COLUMN - 2));
    drawArrow(row, lanes[arrow.from], lanes[arrow.to], arrowLabel(arrow));
    place(row, TIME_COLUMN + laneArea, ` ${arrow.transactionId ?? ''}`);
    lines.push(trimEnd(row));
    const left = Math.min(lanes[arrow.from], lanes[arrow.to]);
    for (const detail of arrowDetails(arrow)) {
      const detailRow = laneRow(width, lanes);
      const text = `  ${detail}`.slice(0, width - left - 2);
      place(detailRow, left + 1, text);
      lines.push(trimEnd(detailRow));
    }
  }
  return lines;
}

function renderList(ladder: SipLadder): string[] {
  const lines = ladder.participants.map((p) => `  [${p.id}] ${p.label} ${formatEndpoint(p)}`);
  for (const arrow of ladder.arrows) {
    const from = ladder.participants[arrow.from];
    const to = ladder.participants[arrow.to];
    lines.push(
      `${`+${(arrow.offsetMs / 1000).toFixed(3)} s`.padStart(TIME_COLUMN - 2)}  [${from.id}] -> [${to.id}]  ` +
        `${arrowLabel(arrow)}  ${arrow.transactionId ?? ''}`,
    );
    for (const detail of arrowDetails(arrow)) lines.push(`${' '.repeat(TIME_COLUMN + 4)}${detail}`);
  }
  return lines;
}

function renderSummary(ladder: SipLadder, width: number): string[] {
  const lines: string[] = [];
  const add = (label: string, value: string): void => {
    lines.push(...labelledLines(label, value, width, SUMMARY_LABEL_WIDTH));
  };
  const final = ladder.finalResponse;
  if (final) add('Final response', `${final.status} ${final.reasonPhrase} (to ${final.method})`);
  const last = ladder.lastResponse;
  if (last && last.arrow !== final?.arrow)
    add('Last response', `${last.status} ${last.reasonPhrase} (to ${last.method})`);
  add('Outcome', ladder.outcome.summary);
  if (ladder.hangup) {
    const parts = [
      ladder.hangup.code !== undefined ? `X-ZT-Hangup-Code ${ladder.hangup.code}` : undefined,
      ladder.hangup.reason !== undefined ? `Reason ${ladder.hangup.reason}` : undefined,
    ].filter((p) => p !== undefined);
    add('Hangup', `${parts.join('; ')} (message ${ladder.hangup.arrow + 1})`);
  }
  const retransmissions = ladder.arrows.filter((a) => a.retransmission).length;
  if (retransmissions > 0) add('Retransmissions', String(retransmissions));
  return lines;
}

function arrowLabel(arrow: LadderArrow): string {
  const sdp = arrow.sdp ? ' (SDP)' : '';
  return `${arrow.label}${sdp}${arrow.retransmission ? ' [retransmission]' : ''}`;
}

function arrowDetails(arrow: LadderArrow): string[] {
  const details: string[] = [];
  if (
    arrow.kind === 'request' &&
    arrow.method === 'INVITE' &&
    arrow.requestUri &&
    arrow.dialogId === undefined
  ) {
    details.push(`to ${arrow.requestUri}`);
  }
  if (arrow.sdp && !arrow.retransmission) details.push(`sdp: ${formatSdpSummary(arrow.sdp)}`);
  if (arrow.hangupCode !== undefined) details.push(`X-ZT-Hangup-Code: ${arrow.hangupCode}`);
  if (arrow.reasonHeader !== undefined) details.push(`Reason: ${arrow.reasonHeader}`);
  return details;
}

function drawArrow(row: string[], fromLane: number, toLane: number, label: string): void {
  if (fromLane === toLane) {
    place(row, fromLane + 1, `<-> ${label}`);
    return;
  }
  const rightward = toLane > fromLane;
  const start = Math.min(fromLane, toLane) + 1;
  const end = Math.max(fromLane, toLane) - 1;
  for (let c = start; c <= end; c++) row[c] = '-';
  if (rightward) row[end] = '>';
  else row[start] = '<';
  const room = end - start - 3;
  const text = label.length > room ? `${label.slice(0, Math.max(0, room - 2))}..` : label;
  const at = start + Math.floor((end - start + 1 - (text.length + 2)) / 2);
  place(row, at, ` ${text} `);
}

function blank(width: number): string[] {
  return Array.from({ length: width }, () => ' ');
}

function laneRow(width: number, lanes: readonly number[]): string[] {
  const row = blank(width);
  for (const lane of lanes) row[lane] = '|';
  return row;
}

function centred(text: string, column: number): number {
  return Math.max(0, column - Math.floor(text.length / 2));
}

function place(row: string[], column: number, text: string): void {
  for (let i = 0; i < text.length && column + i < row.length; i++) row[column + i] = text[i]!;
}

function trimEnd(row: string[]): string {
  return row.join('').trimEnd();
}
