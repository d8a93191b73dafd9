import { describe, expect, it } from 'vitest';
import {
  cancelTargetKey,
  clientTransactionKey,
  createCancel,
  createNon2xxAck,
  createResponse,
  isRfc3261Branch,
  parseSipMessage,
  type SipRequest,
  serverTransactionKey,
} from '../../../src/sip/message/index.js';

function request(method: string, via: string, extra: string[] = []): SipRequest {
  return parseSipMessage(
    Buffer.from(
      [
        `${method} sip:bob@example.com SIP/2.0`,
        `Via: ${via}`,
        'From: <sip:a@example.com>;tag=f1',
        'To: <sip:bob@example.com>',
        'Call-ID: k1',
        `CSeq: 4 ${method}`,
        ...extra,
        '',
        '',
      ].join('\r\n'),
    ),
  ) as SipRequest;
}

const VIA = 'SIP/2.0/UDP a.example.com:5060;branch=z9hG4bKabc';

describe('server transaction keys (RFC 3261 §17.2.3)', () => {
  it('match a retransmission, and the ACK for a non-2xx, to the INVITE', () => {
    const invite = request('INVITE', VIA);
    const key = serverTransactionKey(invite);
    expect(key).toBe('z9hg4bkabc|a.example.com:5060|INVITE');
    expect(serverTransactionKey(request('INVITE', VIA.replace('a.example', 'A.EXAMPLE')))).toBe(key);
    expect(serverTransactionKey(createNon2xxAck(invite, createResponse(invite, 486, { toTag: 't' })))).toBe(
      key,
    );
  });

  it('separate CANCEL from the INVITE it cancels, and lead from the one to the other', () => {
    const invite = request('INVITE', VIA);
    const cancel = createCancel(invite);
    expect(serverTransactionKey(cancel)).not.toBe(serverTransactionKey(invite));
    expect(cancelTargetKey(cancel)).toBe(serverTransactionKey(invite));
    expect(cancelTargetKey(invite)).toBeUndefined();
  });

  it.each([
    ['a different branch', VIA.replace('abc', 'abd')],
    ['a different sent-by host', VIA.replace('a.example.com', 'b.example.com')],
    ['a different sent-by port', VIA.replace(':5060', ':5070')],
    ['no port', VIA.replace(':5060', '')],
  ])('differ for %s', (_, via) => {
    expect(serverTransactionKey(request('INVITE', via))).not.toBe(
      serverTransactionKey(request('INVITE', VIA)),
    );
  });

  it('differ by method except ACK', () => {
    expect(serverTransactionKey(request('BYE', VIA))).toBe('z9hg4bkabc|a.example.com:5060|BYE');
  });

  it('fall back to RFC 2543 matching without the magic cookie (RFC 4475 badbranch, inv2543)', () => {
    const old = 'SIP/2.0/UDP gw.example.com';
    const invite = request('INVITE', old);
    const key = serverTransactionKey(invite)!;
    expect(key.startsWith('2543|INVITE|sip:bob@example.com|f1|k1|4|')).toBe(true);
    // The ACK carries the UAS's To tag and a Via the transport may have stamped: still the same transaction.
    const ack = request('ACK', `${old};received=192.0.2.1`);
    ack.to!.tag = 'uas';
    expect(serverTransactionKey(ack)).toBe(key);
    expect(serverTransactionKey(request('INVITE', 'SIP/2.0/UDP gw.example.com;branch=z9hG4bK'))).toMatch(
      /^2543\|/,
    );
    expect(serverTransactionKey(request('INVITE', 'SIP/2.0/UDP other.example.com'))).not.toBe(key);
    expect(cancelTargetKey(createCancel(invite))).toBe(key);
  });

  it('are undefined for a request that has no Via', () => {
    const bare = parseSipMessage(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n\r\n')) as SipRequest;
    expect(serverTransactionKey(bare)).toBeUndefined();
    expect(clientTransactionKey(bare)).toBeUndefined();
  });
});

describe('client transaction keys (RFC 3261 §17.1.3)', () => {
  it('match a response to the request by branch and CSeq method', () => {
    const invite = request('INVITE', VIA);
    const ringing = createResponse(invite, 180);
    expect(clientTransactionKey(ringing)).toBe(clientTransactionKey(invite));
    expect(clientTransactionKey(invite)).toBe('z9hg4bkabc|INVITE');
    // A response to the CANCEL of that INVITE has the same branch but belongs to the CANCEL.
    const cancelOk = createResponse(createCancel(invite), 200);
    expect(clientTransactionKey(cancelOk)).toBe('z9hg4bkabc|CANCEL');
  });
});

describe('isRfc3261Branch', () => {
  it.each([
    ['z9hG4bK776asdhds', true],
    ['z9hG4bK', false],
    ['Z9HG4BK776', false],
    ['776asdhds', false],
    [undefined, false],
  ])('%s → %s', (branch, yes) => {
    expect(isRfc3261Branch(branch)).toBe(yes);
  });
});
