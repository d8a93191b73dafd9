import { describe, expect, it } from 'vitest';
import { Dialog, DialogState } from '../../../src/sip/dialog/index.js';
import { createRequest, createResponse, parseUri, type SipRequest } from '../../../src/sip/message/index.js';

function invite(extra: Array<[string, string]> = []): SipRequest {
  return createRequest({
    method: 'INVITE',
    requestUri: 'sip:bob@192.0.2.20',
    from: 'sip:alice@192.0.2.10',
    to: 'sip:bob@192.0.2.20',
    callId: 'dialog-1@192.0.2.10',
    cseq: 10,
    contact: 'sip:alice@192.0.2.10:5060',
    headers: [['Record-Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>'], ...extra],
    via: { transport: 'UDP', host: '192.0.2.10', port: 5060, branch: 'z9hG4bK-d1' },
  });
}

function answer(request: SipRequest, status: number, contact = 'sip:bob@192.0.2.20:5070', tag = 'bob-tag') {
  return createResponse(request, status, {
    toTag: tag,
    headers: [
      ['Contact', `<${contact}>`],
      ['Record-Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>'],
    ],
  });
}

describe('Dialog as UAC (RFC 3261 §12.1.2, §12.2.1)', () => {
  it('takes its id, remote target and reversed route set from the 2xx', () => {
    const request = invite();
    const dialog = Dialog.fromResponse(request, answer(request, 200));
    expect(dialog.state).toBe(DialogState.Confirmed);
    expect(dialog.id).toEqual({
      callId: 'dialog-1@192.0.2.10',
      localTag: request.from!.tag,
      remoteTag: 'bob-tag',
    });
    expect(dialog.remoteTarget.toString()).toBe('sip:bob@192.0.2.20:5070');
    expect(dialog.routeSet).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(dialog.localSeq).toBe(10);
    expect(dialog.remoteSeq).toBeUndefined();
  });

  it('builds in-dialog requests with the next CSeq, both tags, the remote target and the Route set', () => {
    const request = invite();
    const dialog = Dialog.fromResponse(request, answer(request, 200));
    const bye = dialog.createRequest('BYE');
    const info = dialog.createRequest('INFO', { body: 'Signal=5', contentType: 'application/dtmf-relay' });
    expect(bye.cseq?.toString()).toBe('11 BYE');
    expect(info.cseq?.toString()).toBe('12 INFO');
    expect(bye.requestUriText).toBe('sip:bob@192.0.2.20:5070');
    expect(bye.headers.getAll('route')).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(bye.to?.tag).toBe('bob-tag');
    expect(bye.from?.tag).toBe(request.from!.tag);
    expect(bye.callId).toBe('dialog-1@192.0.2.10');
    expect(info.body.toString()).toBe('Signal=5');
  });

  it('routes through a strict router: its URI becomes the Request-URI, the remote target the last Route', () => {
    const request = invite();
    const response = createResponse(request, 200, {
      toTag: 'b',
      headers: [
        ['Contact', '<sip:bob@192.0.2.20:5070>'],
        ['Record-Route', '<sip:strict.example.com>'],
      ],
    });
    const bye = Dialog.fromResponse(request, response).createRequest('BYE');
    expect(bye.requestUriText).toBe('sip:strict.example.com');
    expect(bye.headers.getAll('route')).toEqual(['<sip:bob@192.0.2.20:5070>']);
  });

  it('builds the ACK for a 2xx with the INVITE CSeq number and its credentials (RFC 3261 §13.2.2.4)', () => {
    const request = invite([['Proxy-Authorization', 'Digest username="alice", realm="x"']]);
    const dialog = Dialog.fromResponse(request, answer(request, 200));
    const ack = dialog.createAck(request);
    expect(ack.cseq?.toString()).toBe('10 ACK');
    expect(ack.headers.get('proxy-authorization')).toBe('Digest username="alice", realm="x"');
    expect(ack.topVia).toBeUndefined();
    expect(dialog.localSeq).toBe(10);
  });

  it('an early dialog from 1xx is confirmed by the 2xx, whose Record-Route becomes the route set', () => {
    const request = invite();
    const early = Dialog.fromResponse(request, createResponse(request, 180, { toTag: 'bob-tag' }));
    expect(early.state).toBe(DialogState.Early);
    expect(early.routeSet).toEqual([]);
    early.receiveResponse(answer(request, 200, 'sip:bob@192.0.2.21'));
    expect(early.state).toBe(DialogState.Confirmed);
    expect(early.routeSet).toHaveLength(2);
    expect(early.remoteTarget.toString()).toBe('sip:bob@192.0.2.21');
  });

  it('a non-2xx final ends an early dialog; 481 or 408 to a request in the dialog ends it (§12.2.1.2)', () => {
    const request = invite();
    const early = Dialog.fromResponse(request, createResponse(request, 183, { toTag: 'x' }));
    early.receiveResponse(createResponse(request, 486, { toTag: 'x' }));
    expect(early.state).toBe(DialogState.Terminated);

    const dialog = Dialog.fromResponse(request, answer(request, 200));
    const update = dialog.createRequest('UPDATE');
    dialog.receiveResponse(createResponse(update, 481));
    expect(dialog.state).toBe(DialogState.Terminated);
    expect(() => dialog.createRequest('BYE')).toThrow(
      expect.objectContaining({ code: 'SIP_DIALOG_TERMINATED' }),
    );
  });

  it('a 2xx to a target refresh request (re-INVITE, UPDATE) replaces the remote target', () => {
    const request = invite();
    const dialog = Dialog.fromResponse(request, answer(request, 200));
    const reinvite = dialog.createRequest('INVITE');
    dialog.receiveResponse(
      createResponse(reinvite, 200, { headers: [['Contact', '<sip:bob@198.51.100.7>']] }),
    );
    expect(dialog.remoteTarget.toString()).toBe('sip:bob@198.51.100.7');
    const info = dialog.createRequest('INFO');
    dialog.receiveResponse(
      createResponse(info, 200, { headers: [['Contact', '<sip:elsewhere@203.0.113.1>']] }),
    );
    expect(dialog.remoteTarget.toString()).toBe('sip:bob@198.51.100.7');
  });

  it('puts our Contact on target refresh requests only', () => {
    const request = invite();
    const dialog = Dialog.fromResponse(request, answer(request, 200), parseUri('sip:alice@192.0.2.10:5060'));
    expect(dialog.createRequest('INVITE').contacts.map(String)).toEqual(['<sip:alice@192.0.2.10:5060>']);
    expect(dialog.createRequest('BYE').contacts).toEqual([]);
  });
});

describe('Dialog as UAS (RFC 3261 §12.1.1, §12.2.2)', () => {
  it('takes the route set in order, the caller Contact as remote target, and starts its own CSeq at 1', () => {
    const request = invite();
    const response = createResponse(request, 200, { toTag: 'uas-tag' });
    const dialog = Dialog.fromRequest(request, response);
    expect(dialog.role).toBe('uas');
    expect(dialog.id).toEqual({
      callId: 'dialog-1@192.0.2.10',
      localTag: 'uas-tag',
      remoteTag: request.from!.tag,
    });
    expect(dialog.routeSet).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(dialog.remoteTarget.toString()).toBe('sip:alice@192.0.2.10:5060');
    const bye = dialog.createRequest('BYE');
    expect(bye.cseq?.seq).toBe(1);
    expect(bye.to?.uri.toString()).toBe('sip:alice@192.0.2.10');
    expect(bye.to?.tag).toBe(request.from!.tag);
  });

  it('refuses a request whose CSeq is not above the last one with 500, and follows target refreshes', () => {
    const request = invite();
    const dialog = Dialog.fromRequest(request, createResponse(request, 200, { toTag: 'uas-tag' }));
    const fromPeer = (method: string, seq: number, contact?: string): SipRequest =>
      createRequest({
        method,
        requestUri: 'sip:bob@192.0.2.20',
        from: { uri: 'sip:alice@192.0.2.10', params: [['tag', request.from!.tag!]] },
        to: { uri: 'sip:bob@192.0.2.20', params: [['tag', 'uas-tag']] },
        callId: 'dialog-1@192.0.2.10',
        cseq: seq,
        ...(contact ? { contact } : {}),
      });
    expect(dialog.receiveRequest(fromPeer('ACK', 10))).toEqual({ accepted: true });
    expect(dialog.receiveRequest(fromPeer('INVITE', 11, 'sip:alice@198.51.100.2'))).toEqual({
      accepted: true,
    });
    expect(dialog.remoteTarget.toString()).toBe('sip:alice@198.51.100.2');
    expect(dialog.receiveRequest(fromPeer('INFO', 11))).toMatchObject({ accepted: false, statusCode: 500 });
    expect(dialog.receiveRequest(fromPeer('BYE', 12))).toEqual({ accepted: true });
    expect(dialog.state).toBe(DialogState.Terminated);
  });

  it('an early dialog from our 180 is confirmed by our 200 with the same tag, keeping what it learnt', () => {
    const request = invite();
    const dialog = Dialog.fromRequest(request, createResponse(request, 180, { toTag: 'uas-tag' }));
    expect(dialog.state).toBe(DialogState.Early);
    // Another tag, a non-2xx, or a 2xx to something else: not this dialog's confirmation.
    expect(dialog.confirmByResponse(createResponse(request, 200, { toTag: 'other-tag' }))).toBe(false);
    expect(dialog.confirmByResponse(createResponse(request, 183, { toTag: 'uas-tag' }))).toBe(false);
    expect(dialog.state).toBe(DialogState.Early);

    expect(dialog.confirmByResponse(createResponse(request, 200, { toTag: 'uas-tag' }))).toBe(true);
    expect(dialog.state).toBe(DialogState.Confirmed);
    expect(dialog.remoteTarget.toString()).toBe('sip:alice@192.0.2.10:5060');
    expect(dialog.remoteSeq).toBe(10);
    // Confirmed once: a second 200 changes nothing.
    expect(dialog.confirmByResponse(createResponse(request, 200, { toTag: 'uas-tag' }))).toBe(false);
  });

  it('a UAC dialog is never confirmed by a response it sends', () => {
    const request = invite();
    const dialog = Dialog.fromResponse(request, answer(request, 180));
    expect(dialog.confirmByResponse(answer(request, 200))).toBe(false);
    expect(dialog.state).toBe(DialogState.Early);
  });

  it('needs a To tag on the response', () => {
    const request = invite();
    expect(() => Dialog.fromRequest(request, createResponse(request, 100))).toThrow(
      expect.objectContaining({ code: 'SIP_DIALOG_NO_DIALOG' }),
    );
  });
});
