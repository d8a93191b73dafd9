// The two messages the SIP benchmark parses and serialises: an INVITE with an SDP offer as a PBX sends it to a
// trunk (about 900 bytes), and the 200 OK that answers it.

const CRLF = '\r\n';

const INVITE_SDP = [
  'v=0',
  'o=- 3912345678 3912345678 IN IP4 192.0.2.10',
  's=Trunkline',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 40000 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join(CRLF);

const ANSWER_SDP = INVITE_SDP.replace(/192\.0\.2\.10/g, '198.51.100.7').replace('40000', '16384');

function message(startLine: string, headers: string[], body: string): Buffer {
  const length = Buffer.byteLength(body);
  return Buffer.from([startLine, ...headers, `Content-Length: ${length}`, '', body].join(CRLF), 'utf8');
}

export const TYPICAL_INVITE = message(
  'INVITE sip:+14155550123@trunk.zentrunk.example.com;transport=udp SIP/2.0',
  [
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---a7f3c8d1e2b4f6a9;rport',
    'Max-Forwards: 70',
    'Contact: <sip:alice@192.0.2.10:5060;transport=udp>',
    'To: <sip:+14155550123@trunk.zentrunk.example.com>',
    'From: "Alice Example" <sip:+12125550199@trunk.zentrunk.example.com>;tag=8f3a2c1d',
    'Call-ID: 3c26700c7c8f4a1bb1c9d5e6f7a8b9c0@192.0.2.10',
    'CSeq: 1 INVITE',
    'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, UPDATE, INFO',
    'Supported: replaces, timer',
    'User-Agent: Trunkline/0.1.0',
    'Content-Type: application/sdp',
  ],
  INVITE_SDP,
);

export const TYPICAL_200_OK = message(
  'SIP/2.0 200 OK',
  [
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---a7f3c8d1e2b4f6a9;rport=5060;received=192.0.2.10',
    'Record-Route: <sip:198.51.100.1;lr>',
    'Contact: <sip:+14155550123@198.51.100.7:5060>',
    'To: <sip:+14155550123@trunk.zentrunk.example.com>;tag=as5f1e2d3c',
    'From: "Alice Example" <sip:+12125550199@trunk.zentrunk.example.com>;tag=8f3a2c1d',
    'Call-ID: 3c26700c7c8f4a1bb1c9d5e6f7a8b9c0@192.0.2.10',
    'CSeq: 1 INVITE',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE',
    'Supported: replaces, timer',
    'Server: Zentrunk',
    'Content-Type: application/sdp',
  ],
  ANSWER_SDP,
);

/** The messages the benchmark runs, with their table labels. */
export const BENCH_MESSAGES: ReadonlyArray<{ readonly label: string; readonly bytes: Buffer }> = [
  { label: `INVITE+SDP (${TYPICAL_INVITE.length} B)`, bytes: TYPICAL_INVITE },
  { label: `200 OK+SDP (${TYPICAL_200_OK.length} B)`, bytes: TYPICAL_200_OK },
];
