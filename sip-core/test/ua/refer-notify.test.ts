import { describe, expect, it } from 'vitest';
import { parseSipfragStatus, parseSubscriptionState } from '../../src/ua/refer-notify.js';

describe('REFER NOTIFY bodies and Subscription-State (RFC 3515 §2.4.5, RFC 6665)', () => {
  it.each([
    ['SIP/2.0 100 Trying\r\n', { statusCode: 100, reasonPhrase: 'Trying' }],
    ['SIP/2.0 200 OK', { statusCode: 200, reasonPhrase: 'OK' }],
    ['  sip/2.0 486 Busy Here\r\nContent-Length: 0\r\n', { statusCode: 486, reasonPhrase: 'Busy Here' }],
    ['SIP/2.0 503', { statusCode: 503, reasonPhrase: '' }],
    ['SIP/2.0 503 Transfer Failed', { statusCode: 503, reasonPhrase: 'Transfer Failed' }],
  ])('reads %j', (body, expected) => {
    expect(parseSipfragStatus(body)).toEqual(expected);
  });

  it.each(['', 'INVITE sip:x SIP/2.0', 'SIP/2.0 20 OK', 'HTTP/1.1 200 OK'])('refuses %j', (body) => {
    expect(parseSipfragStatus(body)).toBeUndefined();
  });

  it.each([
    ['active;expires=60', { state: 'active', reason: undefined, expiresS: 60 }],
    ['terminated;reason=noresource', { state: 'terminated', reason: 'noresource', expiresS: undefined }],
    ['Terminated ; Reason=Timeout', { state: 'terminated', reason: 'timeout', expiresS: undefined }],
    ['pending', { state: 'pending', reason: undefined, expiresS: undefined }],
  ])('reads Subscription-State %j', (value, expected) => {
    expect(parseSubscriptionState(value)).toEqual(expected);
  });

  it('has nothing to say without a header', () => {
    expect(parseSubscriptionState(undefined)).toBeUndefined();
    expect(parseSubscriptionState('  ')).toBeUndefined();
  });
});
