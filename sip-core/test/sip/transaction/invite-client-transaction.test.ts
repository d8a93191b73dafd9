import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  InviteClientTransaction,
  InviteClientTransactionState as S,
} from '../../../src/sip/transaction/index.js';
import type { SipResponse } from '../../../src/sip/message/index.js';
import { testRequest, testResponse, transactionRig } from '../../support/transaction-fixtures.js';

function started(reliable: boolean) {
  const rig = transactionRig(reliable);
  const invite = testRequest('INVITE');
  const transaction = new InviteClientTransaction('key', invite, rig.environment, rig.channel);
  const responses: SipResponse[] = [];
  const timeouts: string[] = [];
  const states: S[] = [];
  transaction.on('response', (r) => responses.push(r));
  transaction.on('timeout', (e) => timeouts.push(e.code));
  transaction.on('stateChanged', (s) => states.push(s));
  transaction.start();
  return { ...rig, invite, transaction, responses, timeouts, states };
}

describe('InviteClientTransaction (RFC 3261 §17.1.1, RFC 6026 §7.2)', () => {
  it('UDP: Timer A re-sends the INVITE at T1, 2·T1, 4·T1… and Timer B ends Calling after 64·T1', () => {
    const t = started(false);
    t.clock.advance(31_999);
    expect(t.channel.retransmissionTimes).toEqual([500, 1_500, 3_500, 7_500, 15_500, 31_500]);
    expect(t.transaction.state).toBe(S.Calling);
    t.clock.advance(1);
    expect(t.timeouts).toEqual(['SIP_TRANSACTION_TIMEOUT']);
    expect(t.transaction.state).toBe(S.Terminated);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('TCP/TLS: no Timer A; Timer B still times out at 64·T1', () => {
    const t = started(true);
    t.clock.advance(32_000);
    expect(t.channel.sent).toHaveLength(1);
    expect(t.timeouts).toEqual(['SIP_TRANSACTION_TIMEOUT']);
  });

  it('a provisional moves to Proceeding, stops the retransmissions and Timer B, and reaches the TU', () => {
    const t = started(false);
    t.clock.advance(600);
    t.transaction.receiveResponse(testResponse(t.invite, 180));
    t.transaction.receiveResponse(testResponse(t.invite, 183));
    t.clock.advance(120_000);
    expect(t.channel.retransmissionTimes).toEqual([500]);
    expect(t.transaction.state).toBe(S.Proceeding);
    expect(t.responses.map((r) => r.statusCode)).toEqual([180, 183]);
    expect(t.timeouts).toEqual([]);
  });

  it.each([false, true])(
    'non-2xx final (reliable=%s): ACK built by the transaction, retransmitted 486 re-ACKed, Timer D',
    (reliable) => {
      const t = started(reliable);
      const busy = testResponse(t.invite, 486);
      t.transaction.receiveResponse(busy);
      if (reliable) {
        expect(t.transaction.state).toBe(S.Terminated);
      } else {
        expect(t.transaction.state).toBe(S.Completed);
        t.transaction.receiveResponse(testResponse(t.invite, 486));
        t.clock.advance(31_999);
        expect(t.transaction.state).toBe(S.Completed);
        t.clock.advance(1);
        expect(t.transaction.state).toBe(S.Terminated);
      }
      const acks = t.channel.sent.filter((s) => s.message.startLine.startsWith('ACK '));
      expect(acks.map((a) => a.retransmission)).toEqual(reliable ? [false] : [false, true]);
      const ack = t.transaction.ack!;
      expect(ack.topVia?.branch).toBe(t.invite.topVia?.branch);
      expect(ack.cseq?.toString()).toBe('1 ACK');
      expect(ack.to?.tag).toBe('uas-tag');
      expect(ack.requestUriText).toBe(t.invite.requestUriText);
      // The TU sees the final response once, not its retransmission.
      expect(t.responses.map((r) => r.statusCode)).toEqual([486]);
    },
  );

  it('2xx: Accepted; 2xx retransmissions and forks reach the TU (RFC 6026); Timer M ends it after 64·T1', () => {
    const t = started(false);
    t.transaction.receiveResponse(testResponse(t.invite, 180));
    t.transaction.receiveResponse(testResponse(t.invite, 200, 'a'));
    expect(t.transaction.state).toBe(S.Accepted);
    t.transaction.receiveResponse(testResponse(t.invite, 200, 'a'));
    t.transaction.receiveResponse(testResponse(t.invite, 200, 'b'));
    t.transaction.receiveResponse(testResponse(t.invite, 486));
    expect(t.responses.map((r) => `${r.statusCode}${r.to?.tag ?? ''}`)).toEqual([
      '180uas-tag',
      '200a',
      '200a',
      '200b',
    ]);
    // No ACK from the transaction for a 2xx: that is the TU's job (§13.2.2.4).
    expect(t.channel.startLines.some((l) => l.startsWith('ACK'))).toBe(false);
    t.clock.advance(31_999);
    expect(t.transaction.state).toBe(S.Accepted);
    t.clock.advance(1);
    expect(t.states).toEqual([S.Proceeding, S.Accepted, S.Terminated]);
  });

  it('CANCEL before any provisional waits for one (RFC 3261 §9.1)', () => {
    const t = started(false);
    let ready = 0;
    t.transaction.on('cancelReady', () => ready++);
    expect(t.transaction.requestCancel()).toBe(false);
    expect(ready).toBe(0);
    t.transaction.receiveResponse(testResponse(t.invite, 100));
    expect(ready).toBe(1);
    t.transaction.receiveResponse(testResponse(t.invite, 180));
    expect(ready).toBe(1);
    expect(t.transaction.requestCancel()).toBe(false);
  });

  it('CANCEL after a provisional is released at once; after a final response never', () => {
    const t = started(false);
    let ready = 0;
    t.transaction.on('cancelReady', () => ready++);
    t.transaction.receiveResponse(testResponse(t.invite, 180));
    expect(t.transaction.requestCancel()).toBe(true);
    expect(ready).toBe(1);

    const u = started(false);
    let late = 0;
    u.transaction.on('cancelReady', () => late++);
    u.transaction.requestCancel();
    u.transaction.receiveResponse(testResponse(u.invite, 486));
    expect(late).toBe(0);
  });

  it('a transport error is reported to the TU and ends the transaction (§17.1.4)', async () => {
    const rig = transactionRig(false);
    rig.channel.failWith = new Error('ECONNREFUSED');
    const transaction = new InviteClientTransaction('k', testRequest('INVITE'), rig.environment, rig.channel);
    const errors: string[] = [];
    transaction.on('transportError', (e) => errors.push(e.code));
    transaction.start();
    await nextTurn(); // the channel reports transport failures after send has returned
    expect(errors).toEqual(['SIP_TRANSACTION_TRANSPORT_FAILED']);
    expect(transaction.state).toBe(S.Terminated);
    expect(rig.clock.pendingTimers).toBe(0);
  });
});
