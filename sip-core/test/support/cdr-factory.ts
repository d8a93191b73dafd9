// Deterministic CDRs and SIP traces for the store's tests, its crash-test child process and its benchmark:
// record `i` is always the same, so a process that only knows `i` can check what another one wrote.

import type { NewCallDetailRecord } from '../../src/store/call-detail-record.js';
import type { StoredSipMessage } from '../../src/store/sip-trace-codec.js';
import { formatZentrunkTime } from '../../src/store/zentrunk-time.js';

/** 2024-01-15 00:00:00 UTC: the documented example's day (BEHAVIOUR.md §14.6). */
export const BASE_EPOCH_MS = Date.UTC(2024, 0, 15);

/** The documented example CDR of BEHAVIOUR.md §14.6, completed with Trunkline's fields. */
export function documentedCdr(overrides: Partial<NewCallDetailRecord> = {}): NewCallDetailRecord {
  return {
    call_uuid: '90b6eb07-0000-4000-8000-000000000001',
    call_id: 'a84b4c76e66710@pc33.example.com',
    from_number: '+12025551234',
    to_number: '+13128574907',
    call_direction: 'outbound',
    call_duration: 180,
    bill_duration: 180,
    billed_duration: 180,
    initiation_time: '2024-01-15 14:28:48',
    answer_time: '2024-01-15 14:29:00',
    end_time: '2024-01-15 14:32:00',
    hangup_cause_name: 'normal_hangup',
    hangup_cause_code: 3000,
    hangup_source: 'carrier',
    total_rate: '0.00500',
    total_amount: '0.01500',
    trunk_domain: '93667062664669661.zt.plivo.com',
    from_country: 'US',
    to_country: 'US',
    transport_protocol: 'udp',
    srtp: false,
    secure_trunking: false,
    secure_trunking_rate: '0.00000',
    stir_verification: 'Verified',
    attestation_indicator: 'A',
    cnam_lookup: false,
    cnam_lookup_rate: '0.00000',
    recorded_by: 'emulator',
    ...overrides,
  };
}

const CAUSES = [
  { name: 'normal_hangup', code: 3000, source: 'carrier' },
  { name: 'busy_line', code: 3010, source: 'carrier' },
  { name: 'cps_limit_reached', code: 5180, source: 'zentrunk' },
  { name: 'unknown_caller_id', code: 4190, source: 'zentrunk' },
] as const;
const COUNTRIES = [
  ['+1415555', 'US'],
  ['+4420794', 'GB'],
  ['+9198450', 'IN'],
  ['+3314285', 'FR'],
] as const;

/** Call `i`: ended `i` seconds after BASE_EPOCH_MS, with fields that vary over every filter. */
export function makeCdr(i: number, overrides: Partial<NewCallDetailRecord> = {}): NewCallDetailRecord {
  const endMs = BASE_EPOCH_MS + i * 1000;
  const billS = i % 10 === 0 ? 0 : i % 40;
  const cause = CAUSES[i % CAUSES.length];
  const [toPrefix, toCountry] = COUNTRIES[i % COUNTRIES.length];
  const answered = billS > 0;
  return documentedCdr({
    call_uuid: `call-${String(i).padStart(8, '0')}`,
    call_id: `${i}@trunkline.test`,
    from_number: `+1202555${String(i % 10_000).padStart(4, '0')}`,
    to_number: `${toPrefix}${String(i % 1_000).padStart(4, '0')}`,
    call_direction: i % 3 === 0 ? 'inbound' : 'outbound',
    call_duration: billS + 2,
    bill_duration: billS,
    billed_duration: billS,
    initiation_time: formatZentrunkTime(endMs - (billS + 2) * 1000),
    answer_time: answered ? formatZentrunkTime(endMs - billS * 1000) : null,
    end_time: formatZentrunkTime(endMs),
    hangup_cause_name: cause.name,
    hangup_cause_code: cause.code,
    hangup_source: cause.source,
    total_amount: `0.${String((billS * 83) % 100_000).padStart(5, '0')}`,
    to_country: toCountry,
    stir_verification: i % 2 === 0 ? 'Verified' : 'Not Applicable',
    recorded_by: i % 5 === 0 ? 'softphone' : 'emulator',
    sip_status: answered ? 200 : 486,
    sip_reason: answered ? 'OK' : 'Busy Here',
    codec: 'PCMU',
    source_address: '127.0.0.1',
    source_port: 5060 + (i % 100),
    queue_delay_ms: i % 7,
    trunk_id: '93667062664669661',
    policy_rule_id: 'destination.geo',
    policy_section: '§4.2 #16',
    policy_grade: 'D',
    post_dial_delay_ms: 120.5,
    rtp_stats: {
      sent: { packets: billS * 50, bytes: billS * 8600 },
      received: { packets: billS * 50, lost: 0 },
    },
    extras: { scenario: 'answer', i },
    ...overrides,
  });
}

/** A deterministic hex string (tags, branches, Call-IDs differ per call, as on the wire). */
function hex(seed: number, length: number): string {
  let x = (seed * 2654435761) >>> 0;
  let out = '';
  while (out.length < length) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** The seven messages of an answered outbound call through the emulator, about 600 bytes each on average. */
function ladder(call: number): string[] {
  const callId = `${hex(call, 24)}@192.0.2.10`;
  const from = `<sip:+12025551234@192.0.2.10>;tag=${hex(call + 1, 10)}`;
  const to = '<sip:+14155550111@93667062664669661.zt.plivo.com>';
  const toTagged = `${to};tag=${hex(call + 2, 12)}`;
  // Two hops (the PBX and its edge proxy) and a record-route, as a trunk sees most calls.
  const via = (n: number) =>
    `Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK${hex(call * 7 + n + 100, 20)};received=203.0.113.5;rport=5060\r\n` +
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK${hex(call * 7 + n, 16)};rport\r\n` +
    `Record-Route: <sip:203.0.113.5:5060;lr;ftag=${hex(call + 1, 10)}>`;
  const sdp = (ip: string, port: number) =>
    `v=0\r\no=- ${call} ${call} IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\n` +
    `m=audio ${port} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n` +
    'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n';
  const common = (cseq: string, toHeader: string) =>
    `From: ${from}\r\nTo: ${toHeader}\r\nCall-ID: ${callId}\r\nCSeq: ${cseq}\r\n`;
  const withBody = (head: string, body: string) =>
    `${head}Content-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const ruri = 'sip:+14155550111@93667062664669661.zt.plivo.com';
  const allow = 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE\r\n';
  return [
    withBody(
      `INVITE ${ruri} SIP/2.0\r\n${via(1)}\r\nMax-Forwards: 70\r\n${common('1 INVITE', to)}` +
        `Contact: <sip:+12025551234@192.0.2.10:5060>\r\n${allow}Supported: timer, replaces\r\nUser-Agent: PBX\r\n`,
      sdp('192.0.2.10', 20_000 + (call % 5000) * 2),
    ),
    `SIP/2.0 100 Trying\r\n${via(1)}\r\n${common('1 INVITE', to)}User-Agent: Zentrunk\r\nContent-Length: 0\r\n\r\n`,
    `SIP/2.0 180 Ringing\r\n${via(1)}\r\n${common('1 INVITE', toTagged)}` +
      `Contact: <sip:93667062664669661.zt.plivo.com:5060>\r\nUser-Agent: Zentrunk\r\nContent-Length: 0\r\n\r\n`,
    withBody(
      `SIP/2.0 200 OK\r\n${via(1)}\r\n${common('1 INVITE', toTagged)}Contact: <sip:93667062664669661.zt.plivo.com:5060>\r\n` +
        `${allow}User-Agent: Zentrunk\r\nX-Plivo-Stir-Verification: Verified\r\n`,
      sdp('198.51.100.7', 10_000 + (call % 5000) * 2),
    ),
    `ACK sip:93667062664669661.zt.plivo.com:5060 SIP/2.0\r\n${via(2)}\r\nMax-Forwards: 70\r\n${common('1 ACK', toTagged)}Content-Length: 0\r\n\r\n`,
    `BYE sip:93667062664669661.zt.plivo.com:5060 SIP/2.0\r\n${via(3)}\r\nMax-Forwards: 70\r\n${common('2 BYE', toTagged)}` +
      'Reason: SIP;cause=200;text="normal_hangup"\r\nContent-Length: 0\r\n\r\n',
    `SIP/2.0 200 OK\r\n${via(3)}\r\n${common('2 BYE', toTagged)}User-Agent: Zentrunk\r\nContent-Length: 0\r\n\r\n`,
  ];
}

/**
 * The trace of call `i`: the messages of a real call ladder (about 600 bytes each on average), alternating
 * direction, over UDP then TCP. `sizeBytes` cuts or pads each message to that size (tests of the format).
 */
export function makeTrace(i: number, count = 7, sizeBytes?: number): StoredSipMessage[] {
  const messages = ladder(i);
  return Array.from({ length: count }, (_, m) => {
    let text = messages[m % messages.length];
    if (sizeBytes !== undefined) text = text.padEnd(sizeBytes, ' ').slice(0, sizeBytes);
    return {
      wallTimeMs: BASE_EPOCH_MS + i * 1000 + m * 10.25,
      monotonicTimeMs: 1_000_000.125 + i * 1000 + m * 10.25,
      direction: m % 2 === 0 ? ('received' as const) : ('sent' as const),
      transport: m < 4 ? ('udp' as const) : ('tcp' as const),
      local: { address: '127.0.0.1', port: 5060 },
      remote: { address: '::1', port: 40_000 + (i % 20_000) },
      ...(m >= 4 ? { connectionId: `tcp-${i}` } : {}),
      bytes: Buffer.from(text, 'latin1'),
    };
  });
}
