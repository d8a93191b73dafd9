import { describe, expect, it } from 'vitest';
import { parseUri, uriEquals } from '../../../src/sip/message/index.js';

// The examples of RFC 3261 §19.1.4, then a few of our own.
const EQUAL: Array<[string, string]> = [
  ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
  ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
  ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
  ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
  [
    'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
    'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
  ],
  [
    'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
    'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
  ],
  ['sip:a@[2001:db8:0:0::1]', 'sip:a@[2001:DB8::1]'],
  ['tel:+1-201-555-0123', 'tel:+1.201.555.0123'],
  ['isbn:123', 'ISBN:123'],
];

const DIFFERENT: Array<[string, string]> = [
  ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
  ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
  ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
  ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
  ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
  ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
  ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'],
  ['sip:a@b', 'sips:a@b'],
  ['sip:a%3Bb@c', 'sip:a;b@c'],
  ['sip:a@b', 'tel:+1'],
  ['tel:+1;a=1', 'tel:+1'],
];

describe('uriEquals (RFC 3261 §19.1.4)', () => {
  it.each(EQUAL)('%s = %s', (a, b) => {
    expect(uriEquals(parseUri(a), parseUri(b))).toBe(true);
    expect(uriEquals(parseUri(b), parseUri(a))).toBe(true);
  });

  it.each(DIFFERENT)('%s ≠ %s', (a, b) => {
    expect(uriEquals(parseUri(a), parseUri(b))).toBe(false);
    expect(uriEquals(parseUri(b), parseUri(a))).toBe(false);
  });
});
