import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CSeq,
  MediaType,
  NameAddr,
  parseSipMessage,
  SipMessageError,
  SipRequest,
  SipResponse,
  serializeSipMessage,
} from '../../../src/sip/message/index.js';

const wire = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa',
  'f: "Alice" <sip:alice:pw@example.com>;tag=1',
  't: <sip:bob@example.com>',
  'i: c1@a.example.com',
  'CSeq: 7 INVITE',
  'Max-Forwards: 70',
  'm: <sip:alice@192.0.2.1>;expires=60, <sip:alice@[2001:db8::1]>;q=0.1',
  'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
  'Record-Route: <sip:rr.example.com;lr>',
  'Allow: INVITE, ACK',
  'Allow: BYE',
  'k: timer, 100rel',
  'Require: timer',
  'Proxy-Require: foo',
  'Unsupported: bar',
  'Expires: 120',
  'Reason: Q.850;cause=16',
  'Refer-To: <sip:carol@example.com?Replaces=x%40y>',
  'P-Asserted-Identity: <sip:+15551234@example.com>, <tel:+15551234>',
  'c: application/sdp',
  'l: 4',
  '',
  'v=0\r\n',
].join('\r\n');

describe('SipMessage views', () => {
  const m = parseSipMessage(Buffer.from(wire)) as SipRequest;

  it('read every common header through its typed view', () => {
    expect([m.callId, m.cseq!.seq, m.cseq!.method, m.maxForwards, m.expires]).toEqual([
      'c1@a.example.com',
      7,
      'INVITE',
      70,
      120,
    ]);
    expect([m.from!.displayName, m.from!.tag, m.to!.tag]).toEqual(['Alice', '1', undefined]);
    expect(m.contacts.map((c) => [c.uri.format(), c.expires, c.q])).toEqual([
      ['sip:alice@192.0.2.1', 60, undefined],
      ['sip:alice@[2001:db8::1]', undefined, 0.1],
    ]);
    expect(m.routes.map((r) => r.uri.format())).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    expect(m.recordRoutes).toHaveLength(1);
    expect(m.allow).toEqual(['INVITE', 'ACK', 'BYE']);
    expect([m.supported, m.require, m.proxyRequire, m.unsupported]).toEqual([
      ['timer', '100rel'],
      ['timer'],
      ['foo'],
      ['bar'],
    ]);
    expect(m.reasons.map((r) => [r.protocol, r.cause])).toEqual([['Q.850', 16]]);
    expect(m.address('Refer-To')!.uri.format()).toBe('sip:carol@example.com?Replaces=x%40y');
    expect(m.addresses('P-Asserted-Identity').map((a) => a.uri.kind)).toEqual(['sip', 'tel']);
    expect(m.contentType!.essence).toBe('application/sdp');
    expect(m.contentLength).toBe(4);
    expect(m.isContactWildcard).toBe(false);
    expect(m.isRequest() && !m.isResponse()).toBe(true);
  });

  it('cache parsed values: the same object comes back', () => {
    expect(m.topVia).toBe(m.topVia);
    expect(m.from).toBe(m.from);
  });

  it('return empty lists for absent list headers and undefined for absent single ones', () => {
    const bare = parseSipMessage(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n\r\n'));
    expect([bare.vias, bare.contacts, bare.routes, bare.allow, bare.reasons]).toEqual([[], [], [], [], []]);
    expect([bare.topVia, bare.from, bare.cseq, bare.callId, bare.maxForwards, bare.expires]).toEqual(
      Array(6).fill(undefined),
    );
  });

  it('report Contact: * as a wildcard with no values', () => {
    const reg = parseSipMessage(Buffer.from('REGISTER sip:r SIP/2.0\r\nContact: *\r\nExpires: 0\r\n\r\n'));
    expect([reg.isContactWildcard, reg.contacts]).toEqual([true, []]);
  });

  it('keep passwords and header values out of inspect output', () => {
    const text = inspect(m);
    expect(text).toBe('SipRequest { INVITE sip:bob@example.com SIP/2.0 | 21 headers | 4-byte body }');
    expect(inspect(m.from!.uri)).not.toContain('pw');
    expect(inspect(new SipRequest('INVITE', 'sip:bob:secret@example.com'))).toContain(
      'sip:bob:****@example.com',
    );
  });
});

describe('SipMessage setters', () => {
  it('replace the header in place, keeping the received name', () => {
    const m = parseSipMessage(Buffer.from(wire)) as SipRequest;
    m.cseq = new CSeq(8, 'INVITE');
    m.maxForwards = 69;
    m.to = new NameAddr({ uri: 'sip:bob@example.com', params: [['tag', 'b']] });
    m.contacts = [new NameAddr({ uri: 'sip:new@192.0.2.2' })];
    m.contentType = 'application/sdp; charset=utf-8';
    const lines = serializeSipMessage(m).toString().split('\r\n');
    expect(lines).toContain('CSeq: 8 INVITE');
    expect(lines).toContain('Max-Forwards: 69');
    expect(lines).toContain('t: <sip:bob@example.com>;tag=b');
    expect(lines).toContain('m: <sip:new@192.0.2.2>');
    expect(lines).toContain('c: application/sdp;charset=utf-8');
    m.contentType = new MediaType('text', 'plain');
    expect(m.headers.get('c')).toBe('text/plain');
    m.contentType = undefined;
    expect(m.headers.has('Content-Type')).toBe(false);
    m.contacts = [];
    expect([m.headers.has('Contact'), m.isContactWildcard]).toEqual([false, false]);
  });

  it('add headers under their canonical names when absent', () => {
    const m = new SipRequest('OPTIONS', 'sip:a@b');
    m.callId = 'x@y';
    m.maxForwards = 70;
    expect([...m.headers.entries()]).toEqual([
      ['Call-ID', 'x@y'],
      ['Max-Forwards', '70'],
    ]);
  });

  it.each([
    ['a Call-ID with a space', (m: SipRequest) => (m.callId = 'a b')],
    ['a Max-Forwards of 256', (m: SipRequest) => (m.maxForwards = 256)],
    ['a malformed Content-Type', (m: SipRequest) => (m.contentType = 'nonsense')],
    ['a method that is not a token', (m: SipRequest) => (m.method = 'IN VITE')],
    ['a Request-URI that does not parse', (m: SipRequest) => (m.requestUri = 'not a uri')],
  ])('refuse %s', (_, set) => {
    expect(() => set(new SipRequest('OPTIONS', 'sip:a@b'))).toThrow(SipMessageError);
  });
});

describe('SipRequest and SipResponse', () => {
  it('build from parts and write their start lines', () => {
    const request = new SipRequest('MESSAGE', 'sip:bob@example.com;transport=tcp');
    expect(request.startLine).toBe('MESSAGE sip:bob@example.com;transport=tcp SIP/2.0');
    request.requestUri = 'tel:+15551234';
    expect(request.requestUri.kind).toBe('tel');
    const response = new SipResponse(183);
    expect([response.startLine, response.statusClass]).toEqual(['SIP/2.0 183 Session Progress', 1]);
    response.reasonPhrase = 'Ringing with media';
    response.statusCode = 180;
    expect(response.startLine).toBe('SIP/2.0 180 Ringing with media');
  });

  it.each([
    ['status 99', () => new SipResponse(99)],
    ['status 700', () => new SipResponse(700)],
    ['a reason with a line break', () => new SipResponse(200, 'OK\r\nX: y')],
    ['a method with a space', () => new SipRequest('A B', 'sip:a@b')],
    ['a bad Request-URI', () => new SipRequest('INVITE', 'sip:')],
  ])('refuse %s', (_, build) => {
    expect(build).toThrow(SipMessageError);
  });
});
