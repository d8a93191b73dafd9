// Scripted SIP call flows between a PBX (127.0.0.1:5070) and a trunk (127.0.0.1:5060), as ladder inputs: the
// messages a trace would have recorded, written out by hand so that each test knows exactly what went over the
// wire (retransmissions, CANCEL, REFER/NOTIFY, hangup headers).

import type { LadderMessageInput } from '../../src/diagnostics/ladder/index.js';

export const PBX = { address: '127.0.0.1', port: 5070 } as const;
export const TRUNK = { address: '127.0.0.1', port: 5060 } as const;
export const FLOW_START_MS = Date.UTC(2026, 0, 15, 10, 30, 0);

export interface FlowMessage {
  readonly atMs: number;
  readonly from: 'pbx' | 'trunk';
  readonly text: string;
  readonly retransmission?: boolean;
}

interface MessageSpec {
  readonly startLine: string;
  readonly branch: string;
  readonly viaHost?: string;
  readonly cseq: string;
  readonly fromTag: string;
  readonly toTag?: string;
  readonly callId: string;
  readonly headers?: readonly string[];
  readonly sdp?: string;
}

/** A complete message with a correct Content-Length. */
export function sipText(spec: MessageSpec): string {
  const body = spec.sdp ?? '';
  return [
    spec.startLine,
    `Via: SIP/2.0/UDP ${spec.viaHost ?? '127.0.0.1:5070'};branch=${spec.branch}`,
    'Max-Forwards: 70',
    `From: <sip:+14155550100@127.0.0.1>;tag=${spec.fromTag}`,
    `To: <sip:+442071234567@127.0.0.1>${spec.toTag ? `;tag=${spec.toTag}` : ''}`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq}`,
    ...(spec.headers ?? []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

export function offerSdp(port = 40_000, options: { crypto?: boolean; direction?: string } = {}): string {
  return [
    'v=0',
    'o=pbx 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} ${options.crypto ? 'RTP/SAVP' : 'RTP/AVP'} 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    ...(options.crypto
      ? ['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz']
      : []),
    `a=${options.direction ?? 'sendrecv'}`,
    '',
  ].join('\r\n');
}

/** Ladder inputs from flow messages, PBX → trunk or back, as a trace recorded on the PBX would have them. */
export function flowInputs(messages: readonly FlowMessage[]): LadderMessageInput[] {
  return messages.map((m) => ({
    timestampMs: FLOW_START_MS + m.atMs,
    source: m.from === 'pbx' ? PBX : TRUNK,
    destination: m.from === 'pbx' ? TRUNK : PBX,
    transport: 'udp',
    bytes: Buffer.from(m.text, 'utf8'),
    ...(m.retransmission ? { retransmission: true } : {}),
  }));
}

const CALL = 'flow-1@127.0.0.1';
const INVITE_BRANCH = 'z9hG4bK-inv-1';

function invite(sdp = offerSdp(), extra: readonly string[] = []): string {
  return sipText({
    startLine: 'INVITE sip:+442071234567@127.0.0.1 SIP/2.0',
    branch: INVITE_BRANCH,
    cseq: '1 INVITE',
    fromTag: 'pbx-tag',
    callId: CALL,
    headers: ['Contact: <sip:pbx@127.0.0.1:5070>', 'User-Agent: Asterisk PBX 20', ...extra],
    sdp,
  });
}

function response(
  status: string,
  cseq: string,
  branch: string,
  toTag?: string,
  headers: string[] = [],
  sdp?: string,
) {
  return sipText({
    startLine: `SIP/2.0 ${status}`,
    branch,
    cseq,
    fromTag: 'pbx-tag',
    ...(toTag ? { toTag } : {}),
    callId: CALL,
    headers: ['Server: Zentrunk', ...headers],
    ...(sdp ? { sdp } : {}),
  });
}

/** The trunk's 200 OK with its SDP answer. */
function answer(): string {
  return response(
    '200 OK',
    '1 INVITE',
    INVITE_BRANCH,
    'zt-tag',
    ['Contact: <sip:zt@127.0.0.1:5060>'],
    offerSdp(41_000),
  );
}

/** The ACK of a non-2xx final response: the INVITE's branch (RFC 3261 §17.1.1.3). */
function non2xxAck(): string {
  return sipText({
    startLine: 'ACK sip:+442071234567@127.0.0.1 SIP/2.0',
    branch: INVITE_BRANCH,
    cseq: '1 ACK',
    fromTag: 'pbx-tag',
    toTag: 'zt-tag',
    callId: CALL,
  });
}

/** INVITE → 100 → 403 (optionally with X-ZT-Hangup-Code and Reason) → ACK. */
export function rejectedFlow(options: { hangupCode?: number; causeName?: string } = {}): FlowMessage[] {
  const headers =
    options.hangupCode !== undefined
      ? [
          `X-ZT-Hangup-Code: ${options.hangupCode}`,
          `Reason: SIP;cause=403;text="${options.causeName ?? 'unknown_caller_id'}"`,
        ]
      : [];
  return [
    { atMs: 0, from: 'pbx', text: invite() },
    { atMs: 12, from: 'trunk', text: response('100 Trying', '1 INVITE', INVITE_BRANCH) },
    {
      atMs: 31,
      from: 'trunk',
      text: response('403 Forbidden', '1 INVITE', INVITE_BRANCH, 'zt-tag', headers),
    },
    {
      atMs: 33,
      from: 'pbx',
      text: non2xxAck(),
    },
  ];
}

function inDialog(
  method: string,
  cseq: number,
  branch: string,
  from: 'pbx' | 'trunk',
  extra: string[] = [],
): string {
  return sipText({
    startLine: `${method} sip:${from === 'pbx' ? 'zt' : 'pbx'}@127.0.0.1 SIP/2.0`,
    branch,
    viaHost: from === 'pbx' ? '127.0.0.1:5070' : '127.0.0.1:5060',
    cseq: `${cseq} ${method}`,
    fromTag: 'pbx-tag',
    toTag: 'zt-tag',
    callId: CALL,
    headers: extra,
  });
}

/** INVITE → 100 → 180 → 200 (SDP) → 200 again (lost ACK) → ACK → ACK → BYE from the trunk → 200. */
export function answeredFlow(): FlowMessage[] {
  const ok = answer();
  const ack = inDialog('ACK', 1, 'z9hG4bK-ack-1', 'pbx');
  return [
    { atMs: 0, from: 'pbx', text: invite() },
    { atMs: 10, from: 'trunk', text: response('100 Trying', '1 INVITE', INVITE_BRANCH) },
    { atMs: 200, from: 'trunk', text: response('180 Ringing', '1 INVITE', INVITE_BRANCH, 'zt-tag') },
    { atMs: 2500, from: 'trunk', text: ok },
    { atMs: 3000, from: 'trunk', text: ok, retransmission: true },
    { atMs: 3002, from: 'pbx', text: ack },
    { atMs: 3003, from: 'pbx', text: ack },
    {
      atMs: 9000,
      from: 'trunk',
      text: sipText({
        startLine: 'BYE sip:pbx@127.0.0.1 SIP/2.0',
        branch: 'z9hG4bK-bye-1',
        viaHost: '127.0.0.1:5060',
        cseq: '1 BYE',
        fromTag: 'zt-tag',
        toTag: 'pbx-tag',
        callId: CALL,
        headers: ['X-ZT-Hangup-Code: 3000', 'Reason: SIP;cause=200;text="normal_hangup"'],
      }),
    },
    {
      atMs: 9004,
      from: 'pbx',
      text: sipText({
        startLine: 'SIP/2.0 200 OK',
        branch: 'z9hG4bK-bye-1',
        viaHost: '127.0.0.1:5060',
        cseq: '1 BYE',
        fromTag: 'zt-tag',
        toTag: 'pbx-tag',
        callId: CALL,
      }),
    },
  ];
}

/** INVITE → 100 → 180 → CANCEL → 200 (CANCEL) → 487 → ACK. */
export function cancelledFlow(): FlowMessage[] {
  const cancel = (status?: string): string =>
    sipText({
      startLine: status ? `SIP/2.0 ${status}` : 'CANCEL sip:+442071234567@127.0.0.1 SIP/2.0',
      branch: INVITE_BRANCH,
      cseq: '1 CANCEL',
      fromTag: 'pbx-tag',
      ...(status ? { toTag: 'zt-tag' } : {}),
      callId: CALL,
    });
  return [
    { atMs: 0, from: 'pbx', text: invite() },
    { atMs: 10, from: 'trunk', text: response('100 Trying', '1 INVITE', INVITE_BRANCH) },
    { atMs: 150, from: 'trunk', text: response('180 Ringing', '1 INVITE', INVITE_BRANCH, 'zt-tag') },
    { atMs: 4000, from: 'pbx', text: cancel() },
    { atMs: 4003, from: 'trunk', text: cancel('200 OK') },
    {
      atMs: 4004,
      from: 'trunk',
      text: response('487 Request Terminated', '1 INVITE', INVITE_BRANCH, 'zt-tag'),
    },
    {
      atMs: 4006,
      from: 'pbx',
      text: non2xxAck(),
    },
  ];
}

/** An answered call, then REFER → 202 → NOTIFY (SIPfrag) → 200 → BYE → 200. */
export function transferFlow(): FlowMessage[] {
  const ok = answer();
  const reply = (status: string, cseq: string, branch: string, viaHost: string): string =>
    sipText({
      startLine: `SIP/2.0 ${status}`,
      branch,
      viaHost,
      cseq,
      fromTag: 'pbx-tag',
      toTag: 'zt-tag',
      callId: CALL,
    });
  return [
    { atMs: 0, from: 'pbx', text: invite() },
    { atMs: 1000, from: 'trunk', text: ok },
    { atMs: 1002, from: 'pbx', text: inDialog('ACK', 1, 'z9hG4bK-ack-1', 'pbx') },
    {
      atMs: 5000,
      from: 'pbx',
      text: inDialog('REFER', 2, 'z9hG4bK-refer-1', 'pbx', ['Refer-To: <sip:+442079876543@127.0.0.1>']),
    },
    {
      atMs: 5010,
      from: 'trunk',
      text: reply('202 Accepted', '2 REFER', 'z9hG4bK-refer-1', '127.0.0.1:5070'),
    },
    {
      atMs: 5020,
      from: 'trunk',
      text: inDialog('NOTIFY', 1, 'z9hG4bK-notify-1', 'trunk', [
        'Event: refer',
        'Subscription-State: active',
      ]),
    },
    { atMs: 5022, from: 'pbx', text: reply('200 OK', '1 NOTIFY', 'z9hG4bK-notify-1', '127.0.0.1:5060') },
    { atMs: 5030, from: 'pbx', text: inDialog('BYE', 3, 'z9hG4bK-bye-2', 'pbx') },
    { atMs: 5033, from: 'trunk', text: reply('200 OK', '3 BYE', 'z9hG4bK-bye-2', '127.0.0.1:5070') },
  ];
}
