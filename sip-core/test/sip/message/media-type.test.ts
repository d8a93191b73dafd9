import { describe, expect, it } from 'vitest';
import { MediaType, parseMediaType, SipMessageError, SipParseError } from '../../../src/sip/message/index.js';

describe('MediaType', () => {
  it.each([
    ['application/sdp', 'application/sdp', undefined],
    ['Application/SDP', 'application/sdp', undefined],
    ['multipart/mixed;boundary=unique-boundary-1', 'multipart/mixed', 'unique-boundary-1'],
    ['multipart/mixed ; boundary = "a b"', 'multipart/mixed', 'a b'],
    ['text/plain ; charset=utf-8', 'text/plain', undefined],
  ])('%j', (text, essence, boundary) => {
    const type = parseMediaType(text);
    expect([type.essence, type.param('boundary')]).toEqual([essence, boundary]);
  });

  it.each(['', 'application', 'application/', '/sdp', 'a/b c', 'a/b;'])('refuses %j', (text) => {
    expect(() => parseMediaType(text)).toThrow(SipParseError);
  });

  it('builds and formats', () => {
    expect(new MediaType('Application', 'SDP', [['charset', 'utf-8']]).toString()).toBe(
      'application/sdp;charset=utf-8',
    );
    expect(() => new MediaType('a b', 'c')).toThrow(SipMessageError);
  });
});
