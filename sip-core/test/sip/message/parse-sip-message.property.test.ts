// Property and fuzz tests: whatever bytes arrive, the parser returns a message or throws SipParseError, and a
// parsed message's views throw nothing else either. Inputs come from a seeded PRNG; a failure names its seed.

import { describe, expect, it } from 'vitest';
import { parseSipMessage, SipParseError } from '../../../src/sip/message/index.js';
import { RFC4475_CASES, torture } from '../../support/rfc4475.js';
import { SeededRandom } from '../../support/seeded-random.js';
import { exerciseMessage, orParseError } from '../../support/sip-message-probe.js';

const CORPUS = RFC4475_CASES.map((c) => torture(c.file));
// Bytes that mean something to the grammar are far more likely to reach deep code paths than uniform noise.
const SPECIAL = [...'\r\n\t :;,"<>%@?=&/[]\\*'].map((c) => c.charCodeAt(0)).concat([0, 0x7f, 0xc3, 0xff]);

function check(bytes: Buffer, label: string): void {
  const result = orParseError(() => parseSipMessage(bytes));
  if (result instanceof SipParseError) {
    expect(result.code, label).toMatch(/^SIP_/);
    if (result.partialRequest !== undefined) {
      expect(result.rejection, label).toBeDefined();
      exerciseMessage(result.partialRequest);
    }
    return;
  }
  exerciseMessage(result);
}

describe('parser robustness', () => {
  it('random bytes never throw anything but SipParseError', () => {
    const random = new SeededRandom(0x5eed_0001);
    for (let i = 0; i < 3000; i++)
      check(random.bytes(random.int(600)), `random bytes #${i} (seed ${random.seed})`);
  });

  it('random header-like lines never throw anything but SipParseError', () => {
    const random = new SeededRandom(0x5eed_0002);
    const alphabet = Buffer.from(
      'abcSIP/2.0 INVITEsip:@;=,"<>%:Via: From: To: CSeq: 1 \r\n\t0123456789',
      'latin1',
    );
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.alloc(random.int(400));
      for (let j = 0; j < bytes.length; j++) bytes[j] = random.pick([...alphabet]);
      check(Buffer.concat([Buffer.from('INVITE sip:a@b SIP/2.0\r\n'), bytes]), `lines #${i}`);
    }
  });

  it('every truncation of every RFC 4475 message never throws anything but SipParseError', () => {
    CORPUS.forEach((bytes, index) => {
      for (let length = 0; length <= bytes.length; length++) {
        check(bytes.subarray(0, length), `${RFC4475_CASES[index].file} cut at ${length}`);
      }
    });
  });

  it('random byte flips of the RFC 4475 messages never throw anything but SipParseError', () => {
    const random = new SeededRandom(0x5eed_0003);
    CORPUS.forEach((original, index) => {
      for (let round = 0; round < 150; round++) {
        const bytes = Buffer.from(original);
        const flips = 1 + random.int(4);
        for (let f = 0; f < flips; f++) {
          bytes[random.int(bytes.length)] = random.next() < 0.7 ? random.pick(SPECIAL) : random.int(256);
        }
        check(bytes, `${RFC4475_CASES[index].file} flip round ${round} (seed ${random.seed})`);
      }
    });
  });

  it('spliced RFC 4475 header lines never throw anything but SipParseError', () => {
    const random = new SeededRandom(0x5eed_0004);
    const lines = CORPUS.flatMap((b) =>
      b
        .toString('latin1')
        .split('\r\n')
        .slice(1)
        .filter((l) => l.includes(':')),
    );
    for (let i = 0; i < 2000; i++) {
      const head = random.pick(['INVITE sip:x@y SIP/2.0', 'SIP/2.0 200 OK', 'REGISTER sip:r SIP/2.0']);
      const picked = Array.from({ length: 1 + random.int(12) }, () => random.pick(lines));
      check(Buffer.from(`${head}\r\n${picked.join('\r\n')}\r\n\r\n`, 'latin1'), `splice #${i}`);
    }
  });
});

describe('parser work limits', () => {
  const base = 'OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n';

  it('refuses more header fields than maxHeaderCount', () => {
    const many = Buffer.from(`${base}${'X-A: 1\r\n'.repeat(300)}\r\n`);
    expect(() => parseSipMessage(many)).toThrow(expect.objectContaining({ code: 'SIP_TOO_MANY_HEADERS' }));
    expect(parseSipMessage(many, { limits: { maxHeaderCount: 400 } }).headers.size).toBe(301);
  });

  it('refuses a header longer than maxHeaderBytes, folded or not', () => {
    const long = Buffer.from(`${base}X-Long: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(() => parseSipMessage(long)).toThrow(expect.objectContaining({ code: 'SIP_HEADER_TOO_LONG' }));
    const folded = Buffer.from(`${base}X-Long: a${'\r\n b'.repeat(5000)}\r\n\r\n`);
    expect(() => parseSipMessage(folded, { limits: { maxHeaderBytes: 8000 } })).toThrow(
      expect.objectContaining({ code: 'SIP_HEADER_TOO_LONG' }),
    );
  });

  it('refuses a message larger than maxMessageBytes before reading it', () => {
    const big = Buffer.alloc(300_000, 0x61);
    expect(() => parseSipMessage(big)).toThrow(expect.objectContaining({ code: 'SIP_MESSAGE_TOO_LARGE' }));
    expect(() => parseSipMessage(Buffer.from(base), { limits: { maxMessageBytes: 10 } })).toThrow(
      expect.objectContaining({ code: 'SIP_MESSAGE_TOO_LARGE' }),
    );
  });

  it('parses worst-case values within the limits (thousands of list elements, quotes, parameters)', () => {
    const vias = Array.from({ length: 400 }, (_, i) => `SIP/2.0/UDP h${i};branch=z9hG4bK${i}`).join(',');
    const contact = `<sip:a@b>${';p'.repeat(5000)}`;
    const quotes = `"${'\\"'.repeat(5000)}" <sip:c@d>`;
    const message = Buffer.from(
      `OPTIONS sip:a@example.com SIP/2.0\r\nVia: ${vias}\r\nContact: ${contact}\r\nFrom: ${quotes};tag=1\r\n` +
        `To: <sip:a@example.com>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nAllow: ${'A,'.repeat(5000)}B\r\n\r\n`,
    );
    const m = parseSipMessage(message);
    expect(m.vias).toHaveLength(400);
    expect(m.contacts[0].params.size).toBe(5000);
    expect(m.from!.displayName).toBe('"'.repeat(5000));
    expect(m.allow).toHaveLength(5001);
  });
});
