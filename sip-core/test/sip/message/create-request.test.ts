import { describe, expect, it } from 'vitest';
import {
  createCancel,
  createNon2xxAck,
  createRequest,
  createResponse,
  NameAddr,
  parseSipMessage,
  SipMessageError,
  type SipRequest,
  serializeSipMessage,
} from '../../../src/sip/message/index.js';

const invite = (): SipRequest =>
  createRequest({
    method: 'INVITE',
    requestUri: 'sip:+14155550123@trunk.example.com',
    from: { uri: 'sip:+12125550199@trunk.example.com', displayName: 'Alice' },
    to: 'sip:+14155550123@trunk.example.com',
    callId: 'call-1@192.0.2.10',
    cseq: 5,
    via: { transport: 'UDP', host: '192.0.2.10', port: 5060, rport: null, branch: 'z9hG4bKfixed' },
    contact: 'sip:alice@192.0.2.10:5060',
    headers: [
      ['Route', '<sip:edge.example.com;lr>'],
      ['Supported', 'timer'],
    ],
    body: 'v=0\r\n',
    contentType: 'application/sdp',
  });

describe('createRequest (RFC 3261 §8.1.1)', () => {
  it('writes the mandatory headers in the customary order (known answer)', () => {
    const request = invite();
    request.from!.tag = 'ftag';
    expect(serializeSipMessage(request).toString()).toBe(
      [
        'INVITE sip:+14155550123@trunk.example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKfixed;rport',
        'Max-Forwards: 70',
        'To: <sip:+14155550123@trunk.example.com>',
        'From: "Alice" <sip:+12125550199@trunk.example.com>;tag=ftag',
        'Call-ID: call-1@192.0.2.10',
        'CSeq: 5 INVITE',
        'Contact: <sip:alice@192.0.2.10:5060>',
        'Route: <sip:edge.example.com;lr>',
        'Supported: timer',
        'Content-Type: application/sdp',
        'Content-Length: 5',
        '',
        'v=0\r\n',
      ].join('\r\n'),
    );
  });

  it('generates what it is not given: From tag, Call-ID, branch', () => {
    const request = createRequest({
      method: 'OPTIONS',
      requestUri: 'sip:a@b',
      from: 'sip:me@example.com',
      to: 'sip:a@b',
      via: { transport: 'TCP', host: 'me.example.com' },
    });
    expect(request.from!.tag).toMatch(/^[0-9a-f]{16}$/);
    expect(request.callId).toMatch(/^[0-9a-f]{32}$/);
    expect(request.topVia!.branch).toMatch(/^z9hG4bK[0-9a-f]{24}$/);
    expect([request.cseq!.seq, request.maxForwards, request.to!.tag]).toEqual([1, 70, undefined]);
    // The result is a valid message.
    expect(parseSipMessage(serializeSipMessage(request)).callId).toBe(request.callId);
  });

  it('copies a NameAddr it is given rather than sharing it', () => {
    const from = new NameAddr({ uri: 'sip:me@example.com' });
    const request = createRequest({ method: 'OPTIONS', requestUri: 'sip:a@b', from, to: 'sip:a@b' });
    expect(request.from).not.toBe(from);
    expect(from.tag).toBeUndefined();
  });

  it.each([
    ['a body without a content type', { body: 'x' }],
    ['a bad Call-ID', { callId: 'a b' }],
    ['Max-Forwards 300', { maxForwards: 300 }],
    ['a CSeq above 2^32-1', { cseq: 2 ** 32 }],
    ['a method that is not a token', { method: 'A B' }],
  ])('refuses %s', (_, change) => {
    expect(() =>
      createRequest({ method: 'OPTIONS', requestUri: 'sip:a@b', from: 'sip:c@d', to: 'sip:a@b', ...change }),
    ).toThrow(SipMessageError);
  });
});

describe('createCancel (RFC 3261 §9.1)', () => {
  it('keeps the Request-URI, Call-ID, From, To, CSeq number, the top Via and the Route set', () => {
    const request = invite();
    const cancel = createCancel(request);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.requestUri.format()).toBe(request.requestUri.format());
    expect([cancel.callId, cancel.cseq!.seq, cancel.cseq!.method]).toEqual([
      'call-1@192.0.2.10',
      5,
      'CANCEL',
    ]);
    expect(cancel.from!.tag).toBe(request.from!.tag);
    expect(cancel.vias.map(String)).toEqual([request.topVia!.toString()]);
    expect(cancel.headers.getAll('Route')).toEqual(['<sip:edge.example.com;lr>']);
    expect(cancel.body.length).toBe(0);
  });
});

describe('createCancel and createNon2xxAck preconditions', () => {
  it('refuse a request without Via or CSeq', () => {
    const bare = createRequest({ method: 'INVITE', requestUri: 'sip:a@b', from: 'sip:c@d', to: 'sip:a@b' });
    expect(() => createCancel(bare)).toThrow(SipMessageError);
    bare.headers.prepend('Via', 'SIP/2.0/UDP h;branch=z9hG4bK1').delete('CSeq');
    expect(() => createNon2xxAck(bare, createResponse(invite(), 486))).toThrow(SipMessageError);
  });
});

describe('createNon2xxAck (RFC 3261 §17.1.1.3)', () => {
  it('takes To from the response (with its tag) and the rest from the INVITE', () => {
    const request = invite();
    const busy = createResponse(request, 486, { toTag: 'uas-tag' });
    const ack = createNon2xxAck(request, busy);
    expect([ack.method, ack.cseq!.seq, ack.cseq!.method]).toEqual(['ACK', 5, 'ACK']);
    expect(ack.to!.tag).toBe('uas-tag');
    expect(ack.topVia!.branch).toBe('z9hG4bKfixed');
    expect(ack.headers.getAll('Route')).toEqual(['<sip:edge.example.com;lr>']);
  });
});
