import { describe, expect, it } from 'vitest';
import {
  ACCEPTABILITY_RULES,
  type AcceptabilityPolicy,
  checkRequestAcceptability,
  parseSipMessage,
  SipRequest,
} from '../../../src/sip/message/index.js';

const BASE = {
  Via: 'SIP/2.0/UDP a.example.com;branch=z9hG4bKa',
  From: '<sip:alice@example.com>;tag=1',
  To: '<sip:bob@example.com>',
  'Call-ID': 'c1',
  CSeq: '1 INVITE',
  'Max-Forwards': '70',
} as const;

/** A request with BASE headers, some replaced or removed (value null), plus extra lines. */
function request(
  method = 'INVITE',
  changes: Record<string, string | null> = {},
  options: { uri?: string; extra?: string[]; body?: string } = {},
): SipRequest {
  const headers = { ...BASE, CSeq: `1 ${method}`, ...changes };
  const lines = [`${method} ${options.uri ?? 'sip:bob@example.com'} SIP/2.0`];
  for (const [name, value] of Object.entries(headers)) if (value !== null) lines.push(`${name}: ${value}`);
  lines.push(...(options.extra ?? []));
  return parseSipMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n${options.body ?? ''}`)) as SipRequest;
}

const uas: AcceptabilityPolicy = { role: 'uas' };

describe('checkRequestAcceptability', () => {
  it.each<[string, SipRequest, AcceptabilityPolicy, number | undefined, string?]>([
    ['an ordinary INVITE', request(), uas, undefined],
    [
      'a missing Call-ID',
      request('INVITE', { 'Call-ID': null }),
      uas,
      400,
      'Bad Request (missing Call-ID header)',
    ],
    ['a missing Via', request('INVITE', { Via: null }), { role: 'proxy' }, 400],
    [
      'two To headers',
      request('INVITE', {}, { extra: ['To: <sip:x@y>'] }),
      uas,
      400,
      'Bad Request (more than one To header)',
    ],
    ['two Content-Length values', request('OPTIONS', {}, { extra: ['l: 1', 'l: 2'], body: 'ab' }), uas, 400],
    ['an unknown method', request('FROB'), uas, 501],
    ['a known method not served here', request('SUBSCRIBE'), uas, 405],
    ['REGISTER at a UAS', request('REGISTER'), uas, 405],
    [
      'REGISTER at a registrar',
      request('REGISTER', { To: '<sip:alice@example.com>' }),
      { role: 'registrar' },
      undefined,
    ],
    ['REGISTER with a non-SIP AOR', request('REGISTER', { To: '<isbn:123>' }), { role: 'registrar' }, 400],
    ['an unknown Request-URI scheme', request('INVITE', {}, { uri: 'foo:bar' }), uas, 416],
    ['a tel Request-URI', request('INVITE', {}, { uri: 'tel:+15551234' }), uas, undefined],
    [
      'sips refused by policy',
      request('INVITE', {}, { uri: 'sips:b@c' }),
      { role: 'uas', uriSchemes: ['sip'] },
      416,
    ],
    ['Require: 100rel unsupported', request('INVITE', {}, { extra: ['Require: 100rel'] }), uas, 420],
    [
      'Require: 100rel supported',
      request('INVITE', {}, { extra: ['Require: 100rel'] }),
      { role: 'uas', supportedOptionTags: ['100rel'] },
      undefined,
    ],
    ['Require on ACK', request('ACK', {}, { extra: ['Require: 100rel'] }), uas, undefined],
    ['Require on CANCEL', request('CANCEL', {}, { extra: ['Require: 100rel'] }), uas, undefined],
    [
      'Proxy-Require at a proxy',
      request('INVITE', {}, { extra: ['Proxy-Require: x'] }),
      { role: 'proxy' },
      420,
    ],
    ['Proxy-Require at a UAS', request('INVITE', {}, { extra: ['Proxy-Require: x'] }), uas, undefined],
    ['Max-Forwards 0 at a proxy', request('INVITE', { 'Max-Forwards': '0' }), { role: 'proxy' }, 483],
    ['Max-Forwards 0 at a UAS', request('INVITE', { 'Max-Forwards': '0' }), uas, undefined],
    ['a body of an unknown type', request('INVITE', {}, { extra: ['c: text/x-weird'], body: 'x' }), uas, 415],
    ['a body without a type', request('INVITE', {}, { body: 'x' }), uas, 415],
    ['an SDP body', request('INVITE', {}, { extra: ['c: application/sdp'], body: 'v=0' }), uas, undefined],
    ['Accept without SDP', request('INVITE', {}, { extra: ['Accept: text/plain'] }), uas, 406],
    [
      'Accept with a wildcard',
      request('INVITE', {}, { extra: ['Accept: text/plain, application/*;q=0.5'] }),
      uas,
      undefined,
    ],
    ['Accept on OPTIONS', request('OPTIONS', {}, { extra: ['Accept: text/plain'] }), uas, undefined],
    [
      'a malformed Require',
      request('INVITE', {}, { extra: ['Require: "x"'] }),
      uas,
      400,
      'Bad Request (malformed Require header)',
    ],
  ])('%s', (_, message, policy, status, phrase) => {
    const rejection = checkRequestAcceptability(message, policy);
    expect(rejection?.statusCode).toBe(status);
    if (phrase !== undefined) expect(rejection?.reasonPhrase).toBe(phrase);
  });

  it('lists what a response needs: Allow for 405/501, Unsupported for 420, Accept for 415', () => {
    const policy: AcceptabilityPolicy = { role: 'uas', allowedMethods: ['INVITE', 'ACK', 'BYE'] };
    expect(checkRequestAcceptability(request('FROB'), policy)?.headers).toEqual([
      ['Allow', 'INVITE, ACK, BYE'],
    ]);
    expect(
      checkRequestAcceptability(request('INVITE', {}, { extra: ['Require: a, b', 'Require: c'] }), {
        role: 'uas',
        supportedOptionTags: ['B'],
      })?.headers,
    ).toEqual([['Unsupported', 'a, c']]);
    expect(
      checkRequestAcceptability(request('INVITE', {}, { body: 'x' }), {
        role: 'uas',
        acceptedContentTypes: ['application/sdp', 'multipart/mixed'],
      })?.headers,
    ).toEqual([['Accept', 'application/sdp, multipart/mixed']]);
  });

  it('prefers 501 to 400 for an unknown method with a mismatched CSeq (RFC 4475 §3.1.2.18)', () => {
    const message = new SipRequest('NEWMETHOD', 'sip:bob@example.com');
    for (const [name, value] of Object.entries({ ...BASE, CSeq: '8 INVITE' }))
      message.headers.append(name, value);
    expect(checkRequestAcceptability(message, uas)?.statusCode).toBe(501);
    message.method = 'OPTIONS';
    expect(checkRequestAcceptability(message, uas)?.statusCode).toBe(400);
  });

  it('refuses a version other than SIP/2.0 with 505 (a request the parser would also refuse)', () => {
    const parsed = request('OPTIONS');
    const other = SipRequest.fromWire(
      'OPTIONS',
      'sip:bob@example.com',
      'SIP/3.0',
      parsed.headers,
      Buffer.alloc(0),
    );
    expect(checkRequestAcceptability(other, uas)?.statusCode).toBe(505);
  });

  it('documents every rule with an RFC section and at least one role', () => {
    for (const rule of ACCEPTABILITY_RULES) {
      expect(rule.rfc).toMatch(/RFC \d+ §/);
      expect(rule.roles.length).toBeGreaterThan(0);
    }
    expect(new Set(ACCEPTABILITY_RULES.map((r) => r.id)).size).toBe(ACCEPTABILITY_RULES.length);
  });
});
