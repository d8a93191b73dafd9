import { describe, expect, it } from 'vitest';
import { StreamFramer, type StreamFramerOutput } from '../../../src/sip/transport/stream-framer.js';
import { rawMessage, sipRequest } from '../../support/sip-bytes.js';

/** Feeds `chunks` and returns the outputs with messages as strings, for compact assertions. */
function run(framer: StreamFramer, chunks: Buffer[]): Array<string | { kind: string; code?: string }> {
  const outputs: StreamFramerOutput[] = [];
  for (const chunk of chunks) outputs.push(...framer.push(chunk));
  return outputs.map((output) => {
    switch (output.kind) {
      case 'message':
        return output.bytes.toString('utf8');
      case 'error':
        return { kind: 'error', code: output.failure.code };
      case 'ping':
      case 'pong':
        return { kind: output.kind };
    }
  });
}

function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(Buffer.from(bytes.subarray(i, i + size)));
  return chunks;
}

const INVITE = sipRequest({ method: 'INVITE', body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n' });
const UTF8 = sipRequest({ method: 'MESSAGE', body: 'Grüße, 日本 — ünïcödé 📞' });
const EMPTY_BODY = sipRequest({ method: 'OPTIONS' });
const STREAM = Buffer.concat([INVITE, UTF8, EMPTY_BODY]);
const EXPECTED = [INVITE, UTF8, EMPTY_BODY].map((m) => m.toString('utf8'));

describe('StreamFramer', () => {
  it('counts Content-Length in bytes, not characters (a UTF-8 body)', () => {
    const body = 'Grüße, 日本 — ünïcödé 📞';
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    expect(run(new StreamFramer(), [UTF8])).toEqual([UTF8.toString('utf8')]);
  });

  it('returns several messages from one chunk, in order, as views of that chunk (no copy)', () => {
    const framer = new StreamFramer();
    const outputs = framer.push(STREAM);
    expect(outputs.map((o) => (o.kind === 'message' ? Buffer.from(o.bytes) : o))).toEqual([
      INVITE,
      UTF8,
      EMPTY_BODY,
    ]);
    for (const output of outputs)
      expect(output.kind === 'message' && output.bytes.buffer).toBe(STREAM.buffer);
    expect(framer.state).toBe('idle');
    expect(framer.bufferedBytes).toBe(0);
  });

  it('round-trips a stream delivered one byte at a time', () => {
    const framer = new StreamFramer();
    expect(run(framer, splitEvery(STREAM, 1))).toEqual(EXPECTED);
    expect(framer.hasPartialMessage).toBe(false);
  });

  it('round-trips a stream cut at every possible point into two chunks', () => {
    for (let cut = 1; cut < STREAM.length; cut++) {
      const chunks = [STREAM.subarray(0, cut), STREAM.subarray(cut)].map((c) => Buffer.from(c));
      expect(run(new StreamFramer(), chunks), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it.each([2, 3, 5, 7, 64, 1000])('round-trips a stream in chunks of %i bytes', (size) => {
    expect(run(new StreamFramer(), splitEvery(STREAM, size))).toEqual(EXPECTED);
  });

  it('reports a partial message while one is arriving, and not between messages', () => {
    const framer = new StreamFramer();
    framer.push(INVITE.subarray(0, 10));
    expect(framer.hasPartialMessage).toBe(true);
    expect(framer.state).toBe('headers');
    framer.push(INVITE.subarray(10, INVITE.length - 3));
    expect(framer.state).toBe('body');
    framer.push(INVITE.subarray(INVITE.length - 3));
    expect(framer.hasPartialMessage).toBe(false);
  });

  it('holds a message whose body has not arrived, then completes it', () => {
    const framer = new StreamFramer();
    const headerEnd = INVITE.indexOf('\r\n\r\n') + 4;
    expect(run(framer, [INVITE.subarray(0, headerEnd)])).toEqual([]);
    expect(framer.bufferedBytes).toBe(headerEnd);
    expect(run(framer, [INVITE.subarray(headerEnd)])).toEqual([INVITE.toString('utf8')]);
  });

  it('delivers at most maxMessagesPerTurn messages per call and holds the rest for pull(), in order', () => {
    const framer = new StreamFramer({ maxMessagesPerTurn: 2 });
    const burst = Buffer.concat([INVITE, UTF8, EMPTY_BODY, INVITE.subarray(0, 20)]);
    expect(run(framer, [burst])).toEqual(EXPECTED.slice(0, 2));
    expect(framer.hasBacklog).toBe(true);
    // Bytes pushed while backlogged queue behind the held ones.
    const rest = framer.push(INVITE.subarray(20));
    expect(rest.map((o) => o.kind === 'message' && o.bytes.toString('utf8'))).toEqual([
      EXPECTED[2],
      INVITE.toString('utf8'),
    ]);
    expect(framer.hasBacklog).toBe(false);
    expect(framer.pull()).toEqual([]);
  });

  it('stops exactly at the turn limit without a backlog when nothing is left', () => {
    const framer = new StreamFramer({ maxMessagesPerTurn: 3 });
    expect(framer.push(STREAM)).toHaveLength(3);
    expect(framer.hasBacklog).toBe(false);
    const more = new StreamFramer({ maxMessagesPerTurn: 1 });
    const outputs = [...more.push(STREAM)];
    while (more.hasBacklog) outputs.push(...more.pull());
    expect(outputs.map((o) => o.kind === 'message' && o.bytes.toString('utf8'))).toEqual(EXPECTED);
  });

  describe('keep-alives (RFC 5626 §3.5.1) and stray CRLFs (RFC 3261 §7.5)', () => {
    it.each([
      ['a ping', ['\r\n\r\n'], [{ kind: 'ping' }]],
      ['a pong', ['\r\n'], [{ kind: 'pong' }]],
      ['two pings', ['\r\n\r\n\r\n\r\n'], [{ kind: 'ping' }, { kind: 'ping' }]],
      ['a ping cut after its first CR', ['\r', '\n\r\n'], [{ kind: 'ping' }]],
      ['a ping cut after three bytes', ['\r\n\r', '\n'], [{ kind: 'ping' }]],
      [
        'a ping cut in the middle (documented: two pongs)',
        ['\r\n', '\r\n'],
        [{ kind: 'pong' }, { kind: 'pong' }],
      ],
      ['a pong cut after its CR', ['\r', '\n'], [{ kind: 'pong' }]],
    ])('recognises %s', (_name, chunks, expected) => {
      const framer = new StreamFramer();
      expect(
        run(
          framer,
          chunks.map((c) => Buffer.from(c, 'latin1')),
        ),
      ).toEqual(expected);
      expect(framer.hasPartialMessage).toBe(false);
    });

    it('skips CRLFs between and before messages, reporting them as keep-alives', () => {
      const stream = Buffer.concat([Buffer.from('\r\n\r\n'), INVITE, Buffer.from('\r\n'), EMPTY_BODY]);
      expect(run(new StreamFramer(), [stream])).toEqual([
        { kind: 'ping' },
        INVITE.toString('utf8'),
        { kind: 'pong' },
        EMPTY_BODY.toString('utf8'),
      ]);
    });
  });

  describe('framing errors end the stream', () => {
    it.each([
      ['no Content-Length', rawMessage(['Via: x']), 'missing-content-length'],
      ['a non-numeric Content-Length', rawMessage(['Content-Length: ten']), 'invalid-content-length'],
      [
        'differing Content-Lengths',
        rawMessage(['Content-Length: 1', 'l: 2'], 'ab'),
        'conflicting-content-length',
      ],
      ['a 10 MB Content-Length', rawMessage(['Content-Length: 10485760']), 'content-length-too-large'],
    ])('%s', (_name, bytes, code) => {
      const framer = new StreamFramer();
      expect(run(framer, [bytes, EMPTY_BODY])).toEqual([{ kind: 'error', code }]);
      expect(framer.state).toBe('failed');
      expect(framer.push(EMPTY_BODY)).toEqual([]);
    });

    it('delivers the messages before the bad one, then fails', () => {
      expect(run(new StreamFramer(), [Buffer.concat([EMPTY_BODY, rawMessage(['X: y'])])])).toEqual([
        EMPTY_BODY.toString('utf8'),
        { kind: 'error', code: 'missing-content-length' },
      ]);
    });

    it('refuses a header section over the limit, whether it arrives at once or slowly', () => {
      const huge = rawMessage([`X-Long: ${'a'.repeat(2000)}`, 'Content-Length: 0']);
      expect(run(new StreamFramer({ maxHeaderSectionBytes: 1024 }), [huge])).toEqual([
        { kind: 'error', code: 'header-section-too-large' },
      ]);
      const slow = new StreamFramer({ maxHeaderSectionBytes: 1024 });
      const outputs = run(slow, splitEvery(huge, 100));
      expect(outputs).toEqual([{ kind: 'error', code: 'header-section-too-large' }]);
      // It fails as soon as the limit is passed, not when the blank line finally arrives.
      expect(slow.bufferedBytes).toBe(0);
    });

    it('accepts a header section exactly at the limit', () => {
      const limit = EMPTY_BODY.length;
      expect(run(new StreamFramer({ maxHeaderSectionBytes: limit }), [EMPTY_BODY])).toEqual([
        EMPTY_BODY.toString('utf8'),
      ]);
      expect(run(new StreamFramer({ maxHeaderSectionBytes: limit - 1 }), [EMPTY_BODY])).toEqual([
        { kind: 'error', code: 'header-section-too-large' },
      ]);
    });

    it('survives random bytes without throwing, ending in a framing error or a held partial message', () => {
      let seed = 42;
      const random = (): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let round = 0; round < 200; round++) {
        const framer = new StreamFramer({ maxHeaderSectionBytes: 4096 });
        const bytes = Buffer.from(
          Array.from({ length: 1 + Math.floor(random() * 3000) }, () => Math.floor(random() * 256)),
        );
        expect(() => run(framer, splitEvery(bytes, 1 + Math.floor(random() * 500)))).not.toThrow();
        expect(['failed', 'headers', 'idle']).toContain(framer.state);
      }
    });
  });
});
