import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  NonInviteClientTransaction,
  NonInviteClientTransactionState as S,
} from '../../../src/sip/transaction/index.js';
import { testRequest, testResponse, transactionRig } from '../../support/transaction-fixtures.js';

function started(reliable: boolean) {
  const rig = transactionRig(reliable);
  const bye = testRequest('BYE');
  const transaction = new NonInviteClientTransaction('key', bye, rig.environment, rig.channel);
  const statuses: number[] = [];
  const timeouts: string[] = [];
  transaction.on('response', (r) => statuses.push(r.statusCode));
  transaction.on('timeout', (e) => timeouts.push(e.code));
  transaction.start();
  return { ...rig, bye, transaction, statuses, timeouts };
}

describe('NonInviteClientTransaction (RFC 3261 §17.1.2)', () => {
  it('UDP: Timer E doubles from T1 up to T2 in Trying; Timer F times out after 64·T1', () => {
    const t = started(false);
    t.clock.advance(32_000);
    expect(t.channel.retransmissionTimes).toEqual([
      500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
    ]);
    expect(t.timeouts).toEqual(['SIP_TRANSACTION_TIMEOUT']);
    expect(t.transaction.state).toBe(S.Terminated);
  });

  it('UDP: in Proceeding Timer E re-sends every T2', () => {
    const t = started(false);
    t.clock.advance(200);
    t.transaction.receiveResponse(testResponse(t.bye, 100));
    expect(t.transaction.state).toBe(S.Proceeding);
    t.clock.advance(13_000);
    expect(t.channel.retransmissionTimes).toEqual([500, 4_500, 8_500, 12_500]);
  });

  it('TCP/TLS: no Timer E; Timer F still applies', () => {
    const t = started(true);
    t.clock.advance(32_000);
    expect(t.channel.sent).toHaveLength(1);
    expect(t.timeouts).toEqual(['SIP_TRANSACTION_TIMEOUT']);
  });

  it.each([
    [false, 5_000],
    [true, 0],
  ])(
    'final response (reliable=%s): Completed absorbs retransmissions; Timer K = %i ms',
    (reliable, timerK) => {
      const t = started(reliable);
      t.transaction.receiveResponse(testResponse(t.bye, 180));
      t.transaction.receiveResponse(testResponse(t.bye, 200));
      t.transaction.receiveResponse(testResponse(t.bye, 200));
      t.transaction.receiveResponse(testResponse(t.bye, 500));
      expect(t.statuses).toEqual([180, 200]);
      expect(t.transaction.finalResponse?.statusCode).toBe(200);
      if (timerK > 0) {
        expect(t.transaction.state).toBe(S.Completed);
        t.clock.advance(timerK - 1);
        expect(t.transaction.state).toBe(S.Completed);
        t.clock.advance(1);
      }
      expect(t.transaction.state).toBe(S.Terminated);
      expect(t.channel.retransmissionTimes).toEqual([]);
      expect(t.timeouts).toEqual([]);
    },
  );

  it('a transport error on a retransmission ends the transaction with transportError', async () => {
    const t = started(false);
    const errors: string[] = [];
    t.transaction.on('transportError', (e) => errors.push(e.code));
    t.channel.failWith = new Error('EHOSTUNREACH');
    t.clock.advance(500);
    await nextTurn(); // the channel reports transport failures after send has returned
    expect(errors).toEqual(['SIP_TRANSACTION_TRANSPORT_FAILED']);
    expect(t.transaction.state).toBe(S.Terminated);
    expect(t.timeouts).toEqual([]);
  });
});
