// Stream framing throughput: our StreamFramer against two references measured in the same run: a minimal
// regex framer (the hand-rolled approach: join, indexOf, regex; no folding, duplicates or limits), and the
// stream parser of the `sip` npm package (kirm/sip.js), the common Node SIP stack, which parses every message.

import { createRequire } from 'node:module';
import { StreamFramer } from '../../src/sip/transport/stream-framer.js';
import { measure, report } from './bench-support.js';

const SDP =
  'v=0\r\no=- 3848276298 3848276298 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n' +
  'm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n' +
  'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n';

/** A realistic ~800-byte INVITE with SDP, as a PBX sends it to a trunk. */
const INVITE = Buffer.from(
  [
    'INVITE sip:+14155550123@trunk.zt.plivo.com SIP/2.0',
    'Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK-524287-1---77ba8f5b0e8e2b5a;rport',
    'Max-Forwards: 70',
    'Contact: <sip:alice@192.0.2.10:5060;transport=tcp>',
    'To: <sip:+14155550123@trunk.zt.plivo.com>',
    'From: "Alice" <sip:+12025550188@trunk.zt.plivo.com>;tag=9fxced76sl',
    'Call-ID: 3848276298220188511@192.0.2.10',
    'CSeq: 1 INVITE',
    'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS',
    'Content-Type: application/sdp',
    'Supported: replaces, timer',
    'User-Agent: Trunkline bench',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join('\r\n'),
  'latin1',
);

/** `count` INVITEs back to back, cut into chunks of `size` bytes (as reads from a socket would be). */
function stream(count: number, size: number): Buffer[] {
  const bytes = Buffer.concat(Array.from({ length: count }, () => INVITE));
  const list: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) list.push(bytes.subarray(i, i + size));
  return list;
}

function expectCount(count: number, expected: number): void {
  if (count !== expected) throw new Error(`framed ${count} messages, expected ${expected}`);
}

function ourFramer(input: readonly Buffer[], expected: number): () => void {
  return () => {
    const framer = new StreamFramer();
    let count = 0;
    for (const chunk of input) {
      // The connection would take a backlog on later event-loop turns; the framing work is the same.
      for (let outputs = framer.push(chunk); outputs.length > 0; outputs = framer.pull()) {
        for (const output of outputs) if (output.kind === 'message') count++;
      }
    }
    expectCount(count, expected);
  };
}

const CONTENT_LENGTH = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i;

function regexFramer(input: readonly Buffer[], expected: number): () => void {
  return () => {
    let pending: Buffer = Buffer.alloc(0);
    let count = 0;
    for (const chunk of input) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) break;
        const length = Number(CONTENT_LENGTH.exec(pending.toString('latin1', 0, end))?.[1] ?? 0);
        const total = end + 4 + length;
        if (pending.length < total) break;
        count++;
        pending = pending.subarray(total);
      }
    }
    expectCount(count, expected);
  };
}

type SipStreamParser = (data: string) => void;
const require = createRequire(import.meta.url);
const sipPackage = require('sip') as {
  makeStreamParser(onMessage: (message: unknown) => void): SipStreamParser;
};

function sipPackageParser(input: readonly Buffer[], expected: number): () => void {
  const strings = input.map((chunk) => chunk.toString('binary'));
  return () => {
    let count = 0;
    const parse = sipPackage.makeStreamParser(() => count++);
    for (const chunk of strings) parse(chunk);
    expectCount(count, expected);
  };
}

export async function runStreamFramerBench(): Promise<void> {
  const cases = [
    { title: '1460-byte chunks (one TCP segment)', size: 1460, messages: 20_000, runs: 5 },
    { title: '64 KiB chunks (a busy connection)', size: 65_536, messages: 20_000, runs: 5 },
    { title: '1-byte chunks (a slow peer)', size: 1, messages: 200, runs: 3 },
  ];
  for (const { title, size, messages, runs } of cases) {
    const input = stream(messages, size);
    const reference = await measure(
      `minimal regex framer (reference)`,
      messages,
      regexFramer(input, messages),
      runs,
    );
    const results = [await measure('StreamFramer', messages, ourFramer(input, messages), runs)];
    // `sip` takes a 64 KiB read for a flood (its header limit applies to the whole buffer): segment-sized only.
    if (size === 1460) {
      results.push(
        await measure(
          'sip@0.0.6 makeStreamParser (full parse)',
          messages,
          sipPackageParser(input, messages),
          runs,
        ),
      );
    }
    report(`Stream framing of ${INVITE.length}-byte INVITEs, ${title}`, 'msg/s', reference, results);
  }
}
