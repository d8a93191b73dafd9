// Stream framing throughput: our StreamFramer against two references measured in the same run: a minimal
// regex framer (the hand-rolled approach: join, indexOf, regex; no folding, duplicates or limits), and the
// stream parser of the `sip` npm package (kirm/sip.js), the common Node SIP stack, which parses every message.

import { createRequire } from 'node:module';
import { StreamFramer } from '../../src/sip/transport/stream-framer.js';
import { measure, report } from './bench-support.js';

const MESSAGES = 20_000;

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

const STREAM = Buffer.concat(Array.from({ length: MESSAGES }, () => INVITE));

function chunks(size: number): Buffer[] {
  const list: Buffer[] = [];
  for (let i = 0; i < STREAM.length; i += size) list.push(STREAM.subarray(i, i + size));
  return list;
}

function check(count: number): void {
  if (count !== MESSAGES) throw new Error(`framed ${count} messages, expected ${MESSAGES}`);
}

/** Frames `input` with a fresh StreamFramer; returns the number of messages. */
function frameAll(input: readonly Buffer[]): number {
  const framer = new StreamFramer();
  let count = 0;
  for (const chunk of input) {
    // The connection would take a backlog on later event-loop turns; the framing work is the same.
    for (let outputs = framer.push(chunk); outputs.length > 0; outputs = framer.pull()) {
      for (const output of outputs) if (output.kind === 'message') count++;
    }
  }
  return count;
}

function ourFramer(input: Buffer[]): () => void {
  return () => check(frameAll(input));
}

const CONTENT_LENGTH = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i;

function regexFramer(input: Buffer[]): () => void {
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
    check(count);
  };
}

type SipStreamParser = (data: string) => void;
const require = createRequire(import.meta.url);
const sipPackage = require('sip') as {
  makeStreamParser(onMessage: (message: unknown) => void): SipStreamParser;
};

function sipPackageParser(input: Buffer[]): () => void {
  const strings = input.map((chunk) => chunk.toString('binary'));
  return () => {
    let count = 0;
    const parse = sipPackage.makeStreamParser(() => count++);
    for (const chunk of strings) parse(chunk);
    check(count);
  };
}

export async function runStreamFramerBench(): Promise<void> {
  const mss = chunks(1460);
  const large = chunks(65_536);
  const bytes = chunks(1);
  const regexMss = await measure(
    'minimal regex framer, 1460-byte chunks (reference)',
    MESSAGES,
    regexFramer(mss),
  );
  report('Stream framing, 1460-byte chunks (one TCP segment)', 'msg/s', regexMss, [
    await measure('StreamFramer', MESSAGES, ourFramer(mss)),
    // `sip` flags 64 KiB reads as a flood (its header limit applies to the whole buffer), so MSS chunks only.
    await measure('sip@0.0.6 makeStreamParser (full parse)', MESSAGES, sipPackageParser(mss)),
  ]);
  const regexLarge = await measure(
    'minimal regex framer, 64 KiB chunks (reference)',
    MESSAGES,
    regexFramer(large),
  );
  report('Stream framing, 64 KiB chunks (a busy connection)', 'msg/s', regexLarge, [
    await measure('StreamFramer', MESSAGES, ourFramer(large)),
  ]);
  const few = bytes.slice(0, INVITE.length * 200);
  const byteCount = 200;
  const regexBytes = await measure(
    'minimal regex framer, 1-byte chunks (reference)',
    byteCount,
    () => {
      let count = 0;
      let pending: Buffer = Buffer.alloc(0);
      for (const chunk of few) {
        pending = Buffer.concat([pending, chunk]);
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) continue;
        const total = end + 4 + Number(CONTENT_LENGTH.exec(pending.toString('latin1', 0, end))?.[1] ?? 0);
        if (pending.length >= total) {
          count++;
          pending = pending.subarray(total);
        }
      }
      if (count !== byteCount) throw new Error(`framed ${count}`);
    },
    3,
  );
  report('Stream framing, 1-byte chunks (slow peer)', 'msg/s', regexBytes, [
    await measure(
      'StreamFramer',
      byteCount,
      () => {
        const count = frameAll(few);
        if (count !== byteCount) throw new Error(`framed ${count}`);
      },
      3,
    ),
  ]);
}
