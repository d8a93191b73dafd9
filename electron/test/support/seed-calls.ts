// Two stored calls with their SIP traces, as the emulator records them: an answered call to the echo number
// (INVITE/100/180/200/ACK/BYE/200, 3000 normal_hangup) and a call refused for an unowned caller ID (403 with
// X-ZT-Hangup-Code 4190). The host's tests, the web shell's tests and the e2e specs seed fresh stores with them.

import {
  TrunklineStore,
  defaultDatabasePath,
  type NewCallDetailRecord,
  type StoredSipMessage,
} from '../../../sip-core/src/index.js';

export interface SeededCall {
  readonly cdr: NewCallDetailRecord;
  readonly trace: readonly StoredSipMessage[];
}

export const ANSWERED_CALL_UUID = '6c1d7a52-0000-4000-8000-00000000a001';
export const REJECTED_CALL_UUID = '6c1d7a52-0000-4000-8000-00000000b002';
export const ECHO_NUMBER = '+14155550111';
export const UNOWNED_CALLER_ID = '+14155559999';
const TRUNK_DOMAIN = '10000000000001.zt.plivo.com';

const PHONE = { address: '127.0.0.1', port: 40_100 };
const TRUNK = { address: '127.0.0.1', port: 5060 };

function zentrunkTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

function sdp(port: number): string {
  return [
    'v=0',
    `o=- 1 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

interface Leg {
  readonly callId: string;
  readonly from: string;
  readonly to: string;
}

function request(leg: Leg, method: string, cseq: number, branch: string, toTag?: string, body = ''): string {
  const lines = [
    `${method} sip:${leg.to.replace('+', '')}@${TRUNK_DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK${branch}`,
    'Max-Forwards: 70',
    `From: <sip:${leg.from}@${TRUNK_DOMAIN}>;tag=phone1`,
    `To: <sip:${leg.to}@${TRUNK_DOMAIN}>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${leg.callId}`,
    `CSeq: ${cseq} ${method}`,
    `Contact: <sip:trunkline@${PHONE.address}:${PHONE.port}>`,
    'User-Agent: Trunkline',
  ];
  if (body) lines.push('Content-Type: application/sdp');
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
  return lines.join('\r\n');
}

function response(
  leg: Leg,
  status: string,
  method: string,
  cseq: number,
  branch: string,
  toTag?: string,
  extra: string[] = [],
  body = '',
): string {
  const lines = [
    `SIP/2.0 ${status}`,
    `Via: SIP/2.0/UDP ${PHONE.address}:${PHONE.port};branch=z9hG4bK${branch}`,
    `From: <sip:${leg.from}@${TRUNK_DOMAIN}>;tag=phone1`,
    `To: <sip:${leg.to}@${TRUNK_DOMAIN}>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${leg.callId}`,
    `CSeq: ${cseq} ${method}`,
    'Server: Zentrunk',
    ...extra,
  ];
  if (body) lines.push('Content-Type: application/sdp');
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
  return lines.join('\r\n');
}

function trace(
  startMs: number,
  messages: readonly (readonly ['sent' | 'received', number, string])[],
): StoredSipMessage[] {
  return messages.map(([direction, offsetMs, text]) => ({
    wallTimeMs: startMs + offsetMs,
    monotonicTimeMs: 1_000 + offsetMs,
    direction,
    transport: 'udp',
    local: PHONE,
    remote: TRUNK,
    bytes: new TextEncoder().encode(text),
  }));
}

const CDR_BASE = {
  call_direction: 'outbound',
  total_rate: '0.00500',
  trunk_domain: TRUNK_DOMAIN,
  from_country: 'US',
  to_country: 'US',
  transport_protocol: 'udp',
  srtp: false,
  secure_trunking: false,
  secure_trunking_rate: '0.00000',
  stir_verification: 'Not Applicable',
  attestation_indicator: null,
  cnam_lookup: false,
  cnam_lookup_rate: '0.00000',
  recorded_by: 'emulator',
} as const;

/** The two calls; `endMs` is when the later one ended (the answered call ends a minute before it). */
export function seededCalls(endMs: number = Date.UTC(2026, 10, 26, 12, 0, 0)): SeededCall[] {
  const answeredStart = endMs - 60_000 - 12_000;
  const answered: Leg = { callId: 'seed-answered@127.0.0.1', from: '+14155550101', to: ECHO_NUMBER };
  const rejectedStart = endMs - 1_000;
  const rejected: Leg = { callId: 'seed-rejected@127.0.0.1', from: UNOWNED_CALLER_ID, to: '+442079460123' };
  return [
    {
      cdr: {
        ...CDR_BASE,
        call_uuid: ANSWERED_CALL_UUID,
        call_id: answered.callId,
        from_number: answered.from,
        to_number: answered.to,
        call_duration: 12,
        bill_duration: 10,
        billed_duration: 60,
        initiation_time: zentrunkTime(answeredStart),
        answer_time: zentrunkTime(answeredStart + 2_000),
        end_time: zentrunkTime(answeredStart + 12_000),
        hangup_cause_name: 'normal_hangup',
        hangup_cause_code: 3000,
        hangup_source: 'carrier',
        total_amount: '0.00500',
        sip_status: 200,
        codec: 'PCMU',
        rtp_stats: {
          sent: { packets: 500, bytes: 86_000 },
          received: { packets: 498, lost: 2, jitterMs: 3 },
        },
      },
      trace: trace(answeredStart, [
        ['sent', 0, request(answered, 'INVITE', 1, 'inv1', undefined, sdp(40_102))],
        ['received', 20, response(answered, '100 Trying', 'INVITE', 1, 'inv1')],
        ['received', 300, response(answered, '180 Ringing', 'INVITE', 1, 'inv1', 'zt1')],
        ['received', 2_000, response(answered, '200 OK', 'INVITE', 1, 'inv1', 'zt1', [], sdp(20_000))],
        ['sent', 2_010, request(answered, 'ACK', 1, 'ack1', 'zt1')],
        // The far end hangs up: Zentrunk sends the BYE (3000 normal_hangup, source carrier).
        ['received', 12_000, request(answered, 'BYE', 2, 'bye1', 'zt1')],
        ['sent', 12_020, response(answered, '200 OK', 'BYE', 2, 'bye1', 'zt1')],
      ]),
    },
    {
      cdr: {
        ...CDR_BASE,
        call_uuid: REJECTED_CALL_UUID,
        call_id: rejected.callId,
        from_number: rejected.from,
        to_number: rejected.to,
        to_country: 'GB',
        call_duration: 0,
        bill_duration: 0,
        billed_duration: 0,
        initiation_time: zentrunkTime(rejectedStart),
        answer_time: null,
        end_time: zentrunkTime(rejectedStart + 100),
        hangup_cause_name: 'unknown_caller_id',
        hangup_cause_code: 4190,
        hangup_source: 'zentrunk',
        total_amount: '0.00000',
        sip_status: 403,
        policy_rule_id: 'caller-id-owned',
        policy_section: '§5.1',
        policy_grade: 'D',
      },
      trace: trace(rejectedStart, [
        ['sent', 0, request(rejected, 'INVITE', 1, 'inv2', undefined, sdp(40_104))],
        ['received', 15, response(rejected, '100 Trying', 'INVITE', 1, 'inv2')],
        [
          'received',
          60,
          response(rejected, '403 Forbidden', 'INVITE', 1, 'inv2', 'zt2', [
            'X-ZT-Hangup-Code: 4190',
            'Reason: SIP;cause=403;text="unknown_caller_id"',
          ]),
        ],
        ['sent', 70, request(rejected, 'ACK', 1, 'inv2', 'zt2')],
      ]),
    },
  ];
}

/** Writes the seeded calls into the store of `dataDir` (created when missing) through the store's own API. */
export function seedDataDir(dataDir: string, endMs?: number): SeededCall[] {
  const calls = seededCalls(endMs);
  const store = TrunklineStore.open({ path: defaultDatabasePath(dataDir) });
  try {
    for (const call of calls) store.recordCallEnd(call.cdr, call.trace);
  } finally {
    store.close();
  }
  return calls;
}
