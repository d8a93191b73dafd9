import { describe, expect, it } from 'vitest';
import { UacInviteDialogs, uacInviteKey, type UacDialogSender } from '../../../src/sip/dialog/index.js';
import { createRequest, createResponse, type SipRequest } from '../../../src/sip/message/index.js';

function setUp(forkPolicy?: 'ack-and-bye' | 'report') {
  const invite = createRequest({
    method: 'INVITE',
    requestUri: 'sip:bob@192.0.2.20',
    from: 'sip:alice@192.0.2.10',
    to: 'sip:bob@192.0.2.20',
    cseq: 3,
    via: { transport: 'UDP', host: '192.0.2.10', port: 5060, branch: 'z9hG4bK-uac' },
  });
  const acks: SipRequest[] = [];
  const requests: SipRequest[] = [];
  const sender: UacDialogSender = {
    sendAck: (ack) => {
      acks.push(ack);
      return Promise.resolve();
    },
    sendRequest: (request) => requests.push(request),
  };
  const dialogs = new UacInviteDialogs(invite, sender, forkPolicy ? { forkPolicy } : {});
  const respond = (status: number, tag?: string) =>
    createResponse(invite, status, {
      ...(tag ? { toTag: tag } : {}),
      headers: [['Contact', `<sip:${tag ?? 'x'}@192.0.2.20>`]],
    });
  return { invite, acks, requests, dialogs, respond };
}

describe('UacInviteDialogs (RFC 3261 §13.2.2)', () => {
  it('makes an early dialog from a 1xx with a tag, confirms it with the 2xx and ACKs it', () => {
    const t = setUp();
    expect(t.dialogs.receive(t.respond(100)).kind).toBe('provisional');
    const early = t.dialogs.receive(t.respond(180, 'a'));
    expect(early).toMatchObject({ kind: 'provisional', dialog: { state: 'early' } });
    const confirmed = t.dialogs.receive(t.respond(200, 'a'));
    expect(confirmed.kind).toBe('confirmed');
    expect(t.dialogs.dialog?.state).toBe('confirmed');
    expect(t.acks).toHaveLength(1);
    expect(t.acks[0]?.cseq?.toString()).toBe('3 ACK');
    expect(t.acks[0]?.requestUriText).toBe('sip:a@192.0.2.20');
  });

  it('re-sends the very same ACK on each retransmission of the 2xx', () => {
    const t = setUp();
    t.dialogs.receive(t.respond(200, 'a'));
    expect(t.dialogs.receive(t.respond(200, 'a')).kind).toBe('retransmission');
    t.dialogs.receive(t.respond(200, 'a'));
    expect(t.acks).toHaveLength(3);
    expect(new Set(t.acks).size).toBe(1);
  });

  it('ACKs a 2xx from a second fork and ends it with BYE by default', () => {
    const t = setUp();
    const forks: string[] = [];
    t.dialogs.on('fork', (dialog) => forks.push(dialog.id.remoteTag));
    t.dialogs.receive(t.respond(200, 'a'));
    expect(t.dialogs.receive(t.respond(200, 'b')).kind).toBe('fork');
    expect(t.acks.map((a) => a.to?.tag)).toEqual(['a', 'b']);
    expect(t.requests.map((r) => `${r.method} ${r.to?.tag}`)).toEqual(['BYE b']);
    expect(forks).toEqual(['b']);
    expect(t.dialogs.dialog?.id.remoteTag).toBe('a');
  });

  it('with forkPolicy report, ACKs the fork and leaves it to the TU', () => {
    const t = setUp('report');
    t.dialogs.receive(t.respond(200, 'a'));
    t.dialogs.receive(t.respond(200, 'b'));
    expect(t.requests).toEqual([]);
    expect(t.dialogs.dialogs.get('b')?.state).toBe('confirmed');
  });

  it('a non-2xx final ends the early dialogs', () => {
    const t = setUp();
    t.dialogs.receive(t.respond(183, 'a'));
    expect(t.dialogs.receive(t.respond(486, 'a')).kind).toBe('failed');
    expect(t.dialogs.dialogs.get('a')?.state).toBe('terminated');
    expect(t.acks).toEqual([]);
  });

  it('finds the INVITE of a stray 2xx by Call-ID, From tag and CSeq number', () => {
    const t = setUp();
    expect(uacInviteKey(t.respond(200, 'a'))).toBe(t.dialogs.key);
  });
});
