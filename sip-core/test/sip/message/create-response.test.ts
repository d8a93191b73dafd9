import { describe, expect, it } from 'vitest';
import {
  createRejection,
  createRejectionResponse,
  createResponse,
  parseSipMessage,
  SipMessageError,
  type SipRequest,
  serializeSipMessage,
} from '../../../src/sip/message/index.js';

const request = (): SipRequest =>
  parseSipMessage(
    Buffer.from(
      [
        'INVITE sip:bob@example.com SIP/2.0',
        'Via: SIP/2.0/UDP p.example.com;branch=z9hG4bKp;received=192.0.2.9',
        'v: SIP/2.0/UDP a.example.com;branch=z9hG4bKa, SIP/2.0/TCP b.example.com;branch=z9hG4bKb',
        'From: "A" <sip:a@example.com>;tag=1',
        'To: <sip:bob@example.com>',
        'Call-ID: c1',
        'CSeq: 3 INVITE',
        'Timestamp: 54',
        'Contact: <sip:a@192.0.2.1>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  ) as SipRequest;

describe('createResponse (RFC 3261 §8.2.6)', () => {
  it('copies Vias (in order, names as received), From, To, Call-ID and CSeq, and adds the To tag', () => {
    const response = createResponse(request(), 180, { toTag: 'b1' });
    expect(serializeSipMessage(response).toString()).toBe(
      [
        'SIP/2.0 180 Ringing',
        'Via: SIP/2.0/UDP p.example.com;branch=z9hG4bKp;received=192.0.2.9',
        'v: SIP/2.0/UDP a.example.com;branch=z9hG4bKa, SIP/2.0/TCP b.example.com;branch=z9hG4bKb',
        'From: "A" <sip:a@example.com>;tag=1',
        'To: <sip:bob@example.com>;tag=b1',
        'Call-ID: c1',
        'CSeq: 3 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('never adds a To tag to 100 Trying, and echoes its Timestamp', () => {
    const trying = createResponse(request(), 100, { toTag: 'b1' });
    expect(trying.to!.tag).toBeUndefined();
    expect(trying.headers.get('Timestamp')).toBe('54');
    expect(createResponse(request(), 180).headers.has('Timestamp')).toBe(false);
  });

  it('keeps an existing To tag (in-dialog requests)', () => {
    const inDialog = request();
    inDialog.to!.tag = 'existing';
    expect(createResponse(inDialog, 200, { toTag: 'other' }).to!.tag).toBe('existing');
  });

  it('adds headers, a body and a reason phrase', () => {
    const ok = createResponse(request(), 200, {
      toTag: 't',
      reasonPhrase: 'Fine',
      headers: [['Contact', '<sip:bob@192.0.2.2>']],
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    const again = parseSipMessage(serializeSipMessage(ok));
    expect([again.startLine, again.contacts[0].uri.format(), again.body.toString()]).toEqual([
      'SIP/2.0 200 Fine',
      'sip:bob@192.0.2.2',
      'v=0\r\n',
    ]);
  });

  it('refuses a To tag that is not a token', () => {
    expect(() => createResponse(request(), 200, { toTag: 'a b' })).toThrow(SipMessageError);
  });
});

describe('createRejectionResponse', () => {
  it('answers with the rejection, its headers and an optional Warning', () => {
    const rejection = createRejection('method', 405, 'method not allowed here', [['Allow', 'INVITE, BYE']]);
    const response = createRejectionResponse(request(), rejection, {
      toTag: 'r',
      warnAgent: 'trunk.example',
    });
    expect(response.startLine).toBe('SIP/2.0 405 Method Not Allowed (method not allowed here)');
    expect(response.headers.get('Allow')).toBe('INVITE, BYE');
    expect(response.headers.get('Warning')).toBe('399 trunk.example "method not allowed here"');
    expect(response.to!.tag).toBe('r');
  });

  it('answers a malformed request whose To does not parse, copying it verbatim', () => {
    const bytes = Buffer.from(
      'INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:c@d>;tag=1\r\n' +
        'To: "unterminated <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n',
    );
    let partial: SipRequest | undefined;
    let status: number | undefined;
    try {
      parseSipMessage(bytes);
    } catch (error) {
      partial = (error as { partialRequest?: SipRequest }).partialRequest;
      status = (error as { rejection?: { statusCode: number } }).rejection?.statusCode;
    }
    expect(status).toBe(400);
    const response = createResponse(partial!, 400, { toTag: 'x' });
    expect(response.headers.get('To')).toBe('"unterminated <sip:a@b>');
  });
});
