import { describe, expect, it } from 'vitest';
import { scanContentLength } from '../../../src/sip/transport/content-length.js';

function scan(headers: string[]): ReturnType<typeof scanContentLength> {
  return scanContentLength(Buffer.from(['INVITE sip:l:5060@x SIP/2.0', ...headers].join('\r\n'), 'latin1'));
}

describe('scanContentLength', () => {
  it.each([
    ['the long form', ['Content-Length: 12'], 12],
    ['any case', ['cOnTeNt-LeNgTh: 7'], 7],
    ['the compact form l', ['l: 3'], 3],
    ['the compact form L', ['L:3'], 3],
    ['whitespace before the colon', ['Content-Length \t: 5'], 5],
    ['no whitespace after the colon', ['Content-Length:9'], 9],
    ['trailing whitespace', ['Content-Length: 9 \t'], 9],
    ['a folded value', ['Content-Length:', '   42'], 42],
    ['zero', ['Content-Length: 0'], 0],
    ['leading zeros', ['Content-Length: 007'], 7],
    ['among other headers', ['Via: SIP/2.0/TCP h', 'Subject: l: 99', 'Content-Length: 1', 'X: y'], 1],
    ['equal duplicates', ['Content-Length: 4', 'l: 4'], 4],
  ])('reads %s', (_name, headers, expected) => {
    expect(scan(headers)).toEqual({ ok: true, contentLengthBytes: expected });
  });

  it.each([
    ['absent', ['Via: x'], 'missing'],
    ['only in the start line', [], 'missing'],
    ['a header that merely starts with l', ['lx: 5', 'Length: 3'], 'missing'],
    ['a folded line of another header', ['Subject: a', ' Content-Length: 3'], 'missing'],
    ['not a number', ['Content-Length: abc'], 'invalid'],
    ['negative', ['Content-Length: -1'], 'invalid'],
    ['empty', ['Content-Length:   '], 'invalid'],
    ['two numbers', ['Content-Length: 1 2'], 'invalid'],
    ['a sign', ['Content-Length: +5'], 'invalid'],
    ['differing duplicates', ['Content-Length: 4', 'l: 5'], 'conflicting'],
  ])('refuses %s', (_name, headers, code) => {
    expect(scan(headers)).toMatchObject({ ok: false, code });
  });

  it('saturates absurdly long numbers instead of losing precision', () => {
    const result = scan(['Content-Length: 99999999999999999999999']);
    expect(result).toEqual({ ok: true, contentLengthBytes: Number.MAX_SAFE_INTEGER });
  });
});
