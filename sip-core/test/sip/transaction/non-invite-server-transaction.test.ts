import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  NonInviteServerTransaction,
  NonInviteServerTransactionState as S,
} from '../../../src/sip/transaction/index.js';
import { serializeSipMessage } from '../../../src/sip/message/index.js';
import { testRequest, testResponse, transactionRig } from '../../support/transaction-fixtures.js';

function received(reliable: boolean) {
  const rig = transactionRig(reliable);
  const request = testRequest('OPTIONS');
  const transaction = new NonInviteServerTransaction('key', request, rig.environment, rig.channel);
  return { ...rig, request, transaction };
}

describe('NonInviteServerTransaction (RFC 3261 §17.2.2)', () => {
  it('Trying absorbs a retransmitted request without sending anything', () => {
    const t = received(false);
    expect(t.transaction.receiveRequest(t.request)).toBe('absorbed');
    expect(t.channel.sent).toHaveLength(0);
    expect(t.transaction.state).toBe(S.Trying);
  });

  it('Proceeding re-sends the last provisional; Completed re-sends the final response', () => {
    const t = received(false);
    t.transaction.respond(testResponse(t.request, 100));
    t.transaction.receiveRequest(t.request);
    t.transaction.respond(testResponse(t.request, 200));
    t.transaction.receiveRequest(t.request);
    expect(t.channel.sent.map((s) => `${s.message.startLine}${s.retransmission ? ' (again)' : ''}`)).toEqual([
      'SIP/2.0 100 Trying',
      'SIP/2.0 100 Trying (again)',
      'SIP/2.0 200 OK',
      'SIP/2.0 200 OK (again)',
    ]);
  });

  it.each([
    [false, 32_000],
    [true, 0],
  ])('reliable=%s: Timer J = %i ms after the final response', (reliable, timerJ) => {
    const t = received(reliable);
    t.transaction.respond(testResponse(t.request, 200));
    if (timerJ > 0) {
      t.clock.advance(timerJ - 1);
      expect(t.transaction.state).toBe(S.Completed);
      t.clock.advance(1);
    }
    expect(t.transaction.state).toBe(S.Terminated);
  });

  it('lets go of the request once the final response is out (it only re-sends bytes from then on)', () => {
    const t = received(false);
    expect(t.transaction.request.method).toBe('OPTIONS');
    t.transaction.respond(testResponse(t.request, 200));
    expect(t.transaction.finalStatus).toBe(200);
    expect(() => t.transaction.request).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_RELEASED' }),
    );
  });

  it('sends a response serialised beforehand as those very bytes, and re-sends them (a held 200, ADR 0150)', () => {
    const t = received(false);
    const response = testResponse(t.request, 200);
    const wire = serializeSipMessage(response);
    t.transaction.respond(response, wire);
    t.transaction.receiveRequest(t.request);
    expect(t.channel.sent).toHaveLength(2);
    expect(t.channel.sent[0]?.bytes).toBe(wire);
    expect(t.channel.sent[1]?.bytes).toBe(wire);
    expect(t.channel.sent[1]?.retransmission).toBe(true);
    expect(t.transaction.finalStatus).toBe(200);
    expect(t.transaction.state).toBe(S.Completed);
  });

  it('refuses a second final response', () => {
    const t = received(false);
    t.transaction.respond(testResponse(t.request, 200));
    expect(() => t.transaction.respond(testResponse(t.request, 500))).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }),
    );
  });

  it('reports a transport error on the response and terminates', async () => {
    const t = received(false);
    const errors: string[] = [];
    t.transaction.on('transportError', (e) => errors.push(e.code));
    t.channel.failWith = new Error('ENETUNREACH');
    t.transaction.respond(testResponse(t.request, 200));
    await nextTurn(); // the channel reports transport failures after send has returned
    expect(errors).toEqual(['SIP_TRANSACTION_TRANSPORT_FAILED']);
    expect(t.transaction.state).toBe(S.Terminated);
  });
});
