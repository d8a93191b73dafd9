import { describe, expect, it } from 'vitest';
import {
  NameAddr,
  parseSipMessage,
  SipParseError,
  type SipRequest,
  type SipResponse,
  serializeSipMessage,
  Via,
} from '../../../src/sip/message/index.js';
import { RFC4475_CASES, torture } from '../../support/rfc4475.js';
import { orParseError } from '../../support/sip-message-probe.js';

const PARSEABLE = RFC4475_CASES.map(
  (c) => [c.file, orParseError(() => parseSipMessage(torture(c.file)))] as const,
).filter(
  (entry): entry is readonly [string, SipRequest | SipResponse] => !(entry[1] instanceof SipParseError),
);

/** Headers other than Content-Length, which the serializer rewrites from the body. */
function headerList(message: SipRequest | SipResponse): Array<[string, string]> {
  return [...message.headers.entries()].filter(([name]) => !/^(content-length|l)$/i.test(name));
}

/** The structured values every layer reads. */
function structure(m: SipRequest | SipResponse): unknown {
  return {
    start: m.isRequest() ? [m.method, m.requestUri.format()] : [m.statusCode, m.reasonPhrase],
    vias: m.vias.map((v) => [v.protocolName, v.transport, v.host, v.port, [...v.params]]),
    from: m.from && [m.from.displayName, m.from.uri.format(), [...m.from.params]],
    to: m.to && [m.to.displayName, m.to.uri.format(), [...m.to.params]],
    callId: m.callId,
    cseq: m.cseq && [m.cseq.seq, m.cseq.method],
    maxForwards: m.maxForwards,
    contacts: m.contacts.map((c) => [c.displayName, c.uri.format(), [...c.params]]),
    routes: m.routes.map(String),
    contentType: m.contentType?.toString(),
    body: m.body.toString('hex'),
  };
}

describe('serializeSipMessage round trip over RFC 4475', () => {
  it('has every message that parses (33 of 49)', () => {
    expect(PARSEABLE).toHaveLength(49 - 16);
  });

  it.each(PARSEABLE)(
    '%s: parse → serialize → parse keeps structure, header names, values and order',
    (_, m) => {
      const again = parseSipMessage(serializeSipMessage(m));
      expect(structure(again)).toEqual(structure(m));
      expect(headerList(again)).toEqual(headerList(m));
    },
  );

  it.each(PARSEABLE)('%s: serialising twice gives the same bytes', (_, m) => {
    const once = serializeSipMessage(m);
    expect(serializeSipMessage(parseSipMessage(once)).equals(once)).toBe(true);
  });
});

describe('serializeSipMessage', () => {
  const text = [
    'INVITE sip:bob@example.com SIP/2.0',
    'v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com;branch=z9hG4bK2',
    'Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
    'f: <sip:alice@example.com>;tag=1',
    't: <sip:bob@example.com>',
    'i: call-1',
    'CSeq: 1 INVITE',
    'l: 3',
    'Content-Length: 3',
    '',
    'abc',
  ].join('\r\n');

  it('writes Content-Length from the body length under its first name, dropping duplicates', () => {
    const m = parseSipMessage(Buffer.from(text));
    m.body = Buffer.from('héllo', 'utf8');
    const out = serializeSipMessage(m).toString('utf8');
    expect(out).toContain('\r\nl: 6\r\n');
    expect(out).not.toContain('Content-Length');
    expect(out.endsWith('\r\n\r\nhéllo')).toBe(true);
  });

  it('appends Content-Length when there is none', () => {
    const m = parseSipMessage(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n'));
    expect(serializeSipMessage(m).toString()).toBe(
      'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('frames a multibyte body by bytes, not characters', () => {
    const body = 'ünïcødé ✓ 😀';
    const bytes = Buffer.byteLength(body);
    const wire = Buffer.from(
      `MESSAGE sip:a@b SIP/2.0\r\nContent-Length: ${bytes}\r\n\r\n${body}extra`,
      'utf8',
    );
    const m = parseSipMessage(wire);
    expect(m.body.toString('utf8')).toBe(body);
    expect(parseSipMessage(serializeSipMessage(m)).body.toString('utf8')).toBe(body);
  });

  it('rewrites only the header whose structured value changed', () => {
    const m = parseSipMessage(Buffer.from(text));
    m.topVia!.received = '192.0.2.1';
    m.topVia!.rport = 5062;
    const out = serializeSipMessage(m).toString();
    expect(out).toContain(
      '\r\nv: SIP/2.0/UDP a.example.com;branch=z9hG4bK1;received=192.0.2.1;rport=5062, SIP/2.0/TCP b.example.com;branch=z9hG4bK2\r\n',
    );
    expect(out).toContain('\r\nVia: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n');
  });

  it('prepends a Via as its own field above the others', () => {
    const m = parseSipMessage(Buffer.from(text));
    m.prependVia(
      new Via({ transport: 'UDP', host: 'proxy.example.com', port: 5060, branch: 'z9hG4bKp', rport: null }),
    );
    const out = serializeSipMessage(m).toString();
    expect(out.split('\r\n')[1]).toBe('v: SIP/2.0/UDP proxy.example.com:5060;branch=z9hG4bKp;rport');
    expect(m.vias.map((v) => v.branch)).toEqual(['z9hG4bKp', 'z9hG4bK1', 'z9hG4bK2', 'z9hG4bK3']);
  });

  it('removes the top Via from a shared field, then a whole field', () => {
    const m = parseSipMessage(Buffer.from(text));
    expect(m.removeTopVia()!.branch).toBe('z9hG4bK1');
    expect(serializeSipMessage(m).toString().split('\r\n')[1]).toBe(
      'v: SIP/2.0/TCP b.example.com;branch=z9hG4bK2',
    );
    m.removeTopVia();
    expect(serializeSipMessage(m).toString().split('\r\n')[1]).toBe(
      'Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
    );
    m.removeTopVia();
    expect(m.removeTopVia()).toBeUndefined();
    expect(m.headers.has('via')).toBe(false);
  });

  it('adds a To tag and sets, adds and removes headers', () => {
    const m = parseSipMessage(Buffer.from(text));
    m.to!.tag = 'abc';
    m.headers.set('Max-Forwards', '69').append('X-Test', 'yes').delete('i');
    m.callId = 'call-2@example.com';
    m.from = new NameAddr({ uri: 'sip:carol@example.com', displayName: 'Carol "C"', params: [['tag', '9']] });
    const again = parseSipMessage(serializeSipMessage(m));
    expect(again.to!.tag).toBe('abc');
    expect(again.headers.get('t')).toBe('<sip:bob@example.com>;tag=abc');
    expect(again.maxForwards).toBe(69);
    expect(again.headers.get('X-Test')).toBe('yes');
    expect(again.callId).toBe('call-2@example.com');
    expect(again.headers.get('from')).toBe('"Carol \\"C\\"" <sip:carol@example.com>;tag=9');
    expect(again.from!.displayName).toBe('Carol "C"');
  });
});
