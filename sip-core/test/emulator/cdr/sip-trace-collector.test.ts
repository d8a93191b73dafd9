import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { callIdOf, SipTraceCollector } from '../../../src/emulator/cdr/index.js';
import { parseSipMessage } from '../../../src/sip/message/index.js';
import { SipTrace, type SipTraceRecord, type TraceMessageRecord } from '../../../src/sip/trace/index.js';
import { sipRequest } from '../../support/sip-bytes.js';

let sequence = 0;

/** A message record as the transport publishes it. */
function record(
  bytes: Uint8Array,
  atMs = 0,
  direction: 'sent' | 'received' = 'received',
): TraceMessageRecord {
  return {
    kind: 'message',
    direction,
    bytes,
    sequence: ++sequence,
    wallTimeMs: 1_700_000_000_000 + atMs,
    monotonicTimeMs: atMs,
    transport: 'udp',
    local: { address: '127.0.0.1', port: 5060 },
    remote: { address: '127.0.0.1', port: 5070 },
  };
}

const request = (callId: string, method = 'INVITE', extraHeaders: string[] = []) =>
  sipRequest({ method, callId, extraHeaders });
const methodsOf = (messages: readonly { bytes: Uint8Array }[]) =>
  messages.map((m) => Buffer.from(m.bytes).toString('latin1').split(' ')[0]);

describe('SipTraceCollector', () => {
  it('groups interleaved calls by Call-ID, in wire order, and hands each over once', () => {
    const collector = new SipTraceCollector();
    collector.observe(record(request('a@x', 'INVITE'), 1));
    collector.observe(record(request('b@x', 'OPTIONS'), 2));
    collector.observe(record(request('a@x', 'ACK'), 3));
    collector.observe(record(request('a@x', 'BYE'), 4, 'sent'));
    const a = collector.take('a@x');
    expect(methodsOf(a.messages)).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(a.messages[2]).toMatchObject({ direction: 'sent', transport: 'udp', monotonicTimeMs: 4 });
    expect(a.messages[0]).not.toHaveProperty('kind');
    expect(collector.take('a@x').messages).toEqual([]);
    expect(collector.stats).toMatchObject({ observed: 4, calls: 1 });
  });

  it('packs a retained call quiet for compactAfterMs, and hands its messages over byte-exact and in order', () => {
    const collector = new SipTraceCollector({ compactAfterMs: 5_000 });
    collector.retain('a@x');
    const invite = record(request('a@x', 'INVITE', ['Subject: ' + 'idle '.repeat(100)]), 1);
    const ack = record(request('a@x', 'ACK'), 10, 'sent');
    collector.observe(invite);
    collector.observe(ack);
    const unpackedBytes = collector.stats.bytes;
    collector.compactQuiet(4_000);
    expect(collector.stats.compactedCalls).toBe(0);
    collector.compactQuiet(5_010);
    expect(collector.stats.compactedCalls).toBe(1);
    expect(collector.stats.bytes).toBeLessThan(unpackedBytes);
    collector.observe(record(request('a@x', 'BYE'), 9_000));
    const { messages } = collector.take('a@x');
    expect(methodsOf(messages)).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(Buffer.from(messages[0].bytes).equals(Buffer.from(invite.bytes))).toBe(true);
    expect(messages[1]).toMatchObject({ direction: 'sent', monotonicTimeMs: 10, wallTimeMs: ack.wallTimeMs });
    expect(collector.take('a@x').messages).toEqual([]);
  });

  it('keeps the per-call message cap across packing, and never packs with compactAfterMs 0', () => {
    const collector = new SipTraceCollector({ compactAfterMs: 100, maxMessagesPerCall: 4 });
    collector.retain('a@x');
    collector.observe(record(request('a@x', 'INVITE'), 0));
    collector.observe(record(request('a@x', 'ACK'), 1));
    collector.compactQuiet(200);
    for (let i = 0; i < 5; i++) collector.observe(record(request('a@x', 'INFO'), 300 + i));
    const { messages, omitted } = collector.take('a@x');
    expect(methodsOf(messages)).toEqual(['INVITE', 'ACK', 'INFO', 'INFO']);
    expect(omitted).toBe(3);

    const never = new SipTraceCollector({ compactAfterMs: 0 });
    never.retain('a@x');
    never.observe(record(request('a@x', 'INVITE'), 0));
    never.compactQuiet(1_000_000);
    expect(never.stats.compactedCalls).toBe(0);
  });

  it('sweeps on its clock until disposed', () => {
    const clock = new ManualClock();
    const collector = new SipTraceCollector({ compactAfterMs: 5_000 });
    const sweeping = collector.startCompaction(clock);
    collector.retain('a@x');
    collector.observe(record(request('a@x', 'INVITE'), clock.now()));
    clock.advance(4_000);
    expect(collector.stats.compactedCalls).toBe(0);
    clock.advance(2_000);
    expect(collector.stats.compactedCalls).toBe(1);
    sweeping.dispose();
    collector.retain('b@x');
    collector.observe(record(request('b@x', 'INVITE'), clock.now()));
    clock.advance(60_000);
    expect(collector.stats.compactedCalls).toBe(1);
  });

  it('reads the Call-ID of compact forms, and of a request the parser refuses for another header', () => {
    const compact = Buffer.from(
      'BYE sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:c@d>;tag=1\r\nt: <sip:a@b>\r\n' +
        'i: compact@x\r\nCSeq: 2 BYE\r\nl: 0\r\n\r\n',
    );
    expect(callIdOf(compact)).toBe('compact@x');
    const badContentType = request('partial@x', 'INVITE', ['Content-Type: /']);
    expect(callIdOf(badContentType)).toBe('partial@x');
    const badCSeq = request('cseq@x', 'INVITE', ['CSeq: x INVITE']);
    expect(callIdOf(badCSeq)).toBe('cseq@x');
  });

  it('counts and drops what has no readable Call-ID, and ignores other record kinds', () => {
    const collector = new SipTraceCollector();
    collector.observe(record(Buffer.from('garbage\r\n\r\n')));
    collector.observe(record(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n')));
    const drop: SipTraceRecord = {
      ...record(Buffer.alloc(0)),
      kind: 'drop',
      reason: 'empty-datagram',
      detail: '',
    };
    collector.observe(drop);
    expect(collector.stats).toMatchObject({ observed: 0, unreadable: 2, calls: 0 });
  });

  it('keeps the first and the latest messages of a chatty call and counts the gap', () => {
    const collector = new SipTraceCollector({ maxMessagesPerCall: 6 });
    const methods = ['INVITE', 'ACK', 'UPDATE', 'INFO', 'INFO', 'INFO', 'INFO', 'INFO', 'OPTIONS', 'BYE'];
    methods.forEach((method, i) => collector.observe(record(request('c@x', method), i)));
    const trace = collector.take('c@x');
    expect(methodsOf(trace.messages)).toEqual(['INVITE', 'ACK', 'UPDATE', 'INFO', 'OPTIONS', 'BYE']);
    expect(trace.omitted).toBe(4);
    expect(collector.stats).toMatchObject({ omitted: 4, bytes: 0 });
  });

  it('bounds the bytes of one call', () => {
    const collector = new SipTraceCollector({ maxBytesPerCall: 2_000 });
    const big = request('big@x', 'INFO', [`X-Pad: ${'x'.repeat(600)}`]);
    for (let i = 0; i < 10; i++) collector.observe(record(big, i));
    const trace = collector.peek('big@x');
    const bytes = trace.messages.reduce((sum, m) => sum + m.bytes.byteLength, 0);
    expect(bytes).toBeLessThanOrEqual(2_000);
    expect(trace.messages.length + trace.omitted).toBe(10);
    expect(collector.stats.bytes).toBe(bytes);
  });

  it('drops strays after they go quiet, keeps retained calls however quiet, and caps the number of groups', () => {
    const collector = new SipTraceCollector({ strayIdleMs: 1_000, maxCalls: 3 });
    collector.observe(record(request('long-call@x'), 0));
    collector.retain('long-call@x');
    collector.observe(record(request('ping@x', 'OPTIONS'), 10));
    collector.observe(record(request('later@x', 'INVITE'), 5_000));
    expect(collector.peek('ping@x').messages).toEqual([]);
    expect(collector.peek('long-call@x').messages).toHaveLength(1);
    collector.observe(record(request('d@x'), 5_001));
    expect(collector.stats).toMatchObject({ calls: 3, evictedCalls: 1 });
    collector.observe(record(request('e@x'), 5_002));
    // Over 3 groups: the least recently active strays go first, retained calls last, down to 7/8 of the cap
    // (2.6: two groups), so that the next eviction is not at the next message.
    expect(collector.peek('later@x').messages).toEqual([]);
    expect(collector.peek('d@x').messages).toEqual([]);
    expect(collector.peek('e@x').messages).toHaveLength(1);
    expect(collector.peek('long-call@x').messages).toHaveLength(1);
    expect(collector.stats).toMatchObject({ calls: 2, evictedCalls: 3 });
    collector.discard('long-call@x');
    expect(collector.stats.calls).toBe(1);
  });

  it("copies stream messages out of their read buffer, keeps a slice of Node's pool as it is", () => {
    // A stream read: 64 KiB, of which the message is a view.
    const chunk = Buffer.alloc(64 * 1024);
    const first = request('one@x').copy(chunk, 0);
    request('two@x').copy(chunk, first);
    const view = chunk.subarray(0, first);
    const collector = new SipTraceCollector();
    collector.observe(record(view));
    const [kept] = collector.take('one@x').messages;
    expect(kept?.bytes.buffer).not.toBe(chunk.buffer);
    expect(kept?.bytes.byteLength).toBe(first);
    expect(Buffer.from(kept.bytes).equals(view)).toBe(true);
    const whole = new Uint8Array(request('own@x')); // its own ArrayBuffer
    collector.observe(record(whole));
    expect(collector.take('own@x').messages[0]?.bytes).toBe(whole);
    // A serialized message: a slice of the 8 KiB pool, never written again — no copy (docs/adr/0169).
    const pooled = Buffer.from(request('pooled@x').toString('latin1'), 'latin1');
    expect(pooled.buffer.byteLength).toBe(Buffer.poolSize);
    collector.observe(record(pooled));
    expect(collector.take('pooled@x').messages[0]?.bytes).toBe(pooled);
  });

  it('takes records from a SipTrace, and parsed messages without parsing again', () => {
    const trace = new SipTrace({ clock: new ManualClock() });
    const collector = new SipTraceCollector();
    const subscription = collector.subscribe(trace);
    trace.publish({
      kind: 'message',
      direction: 'received',
      bytes: request('live@x'),
      transport: 'tcp',
      local: { address: '127.0.0.1', port: 5060 },
      remote: { address: '127.0.0.1', port: 40_000 },
      connectionId: 'c1',
    });
    subscription.dispose();
    const bytes = request('parsed@x');
    collector.observeParsed(record(bytes), parseSipMessage(bytes));
    expect(collector.take('live@x').messages[0]).toMatchObject({ transport: 'tcp', connectionId: 'c1' });
    expect(collector.take('parsed@x').messages).toHaveLength(1);
  });

  it('records a queued message at once and not again when the transport sends that message later (ADR 0150)', () => {
    const collector = new SipTraceCollector();
    collector.retain('q@x');
    collector.observe(record(request('q@x', 'BYE'), 1));
    const bytes = request('q@x', 'OPTIONS');
    const queued = parseSipMessage(bytes);
    const { kind: _kind, direction: _direction, sequence: _sequence, ...fields } = record(bytes, 2, 'sent');
    collector.observeQueued(fields, queued);
    // The CDR is taken before the message leaves: it holds the queued record, stamped when it was queued.
    const taken = collector.take('q@x');
    expect(methodsOf(taken.messages)).toEqual(['BYE', 'OPTIONS']);
    expect(taken.messages[1]).toMatchObject({ direction: 'sent', monotonicTimeMs: 2 });
    // The transport's record of that very message: not kept a second time (no stray group for the call).
    collector.observeParsed(record(bytes, 3, 'sent'), queued);
    expect(collector.stats.calls).toBe(0);
    // A retransmission of its bytes, or another message with the same text, is an ordinary record again.
    collector.observeParsed(record(bytes, 4, 'sent'), queued);
    collector.observeParsed(record(request('q@x', 'OPTIONS'), 5, 'sent'), queued);
    expect(collector.take('q@x').messages).toHaveLength(2);
  });

  it('knows queued bytes by themselves: the transport may publish them without the message (one serialisation)', () => {
    const collector = new SipTraceCollector();
    collector.retain('h@x');
    const bytes = request('h@x', 'OPTIONS');
    const { kind: _kind, direction: _direction, sequence: _sequence, ...fields } = record(bytes, 1, 'sent');
    collector.observeQueued(fields, parseSipMessage(bytes));
    // Received bytes are never the queued message, whatever they hold.
    collector.observe(record(bytes, 2, 'received'));
    expect(collector.peek('h@x').messages).toHaveLength(2);
    // The stack had no model for bytes it did not serialise itself: the transport's record comes alone.
    collector.observe(record(bytes, 3, 'sent'));
    expect(collector.peek('h@x').messages).toHaveLength(2);
    // A retransmission of them is recorded.
    collector.observe(record(bytes, 4, 'sent'));
    expect(collector.take('h@x').messages.map((m) => m.direction)).toEqual(['sent', 'received', 'sent']);
  });
});
