import { describe, expect, it } from 'vitest';
import {
  InviteServerTransaction,
  InviteServerTransactionState as S,
} from '../../../src/sip/transaction/index.js';
import { createNon2xxAck, serializeSipMessage } from '../../../src/sip/message/index.js';
import { testRequest, testResponse, transactionRig } from '../../support/transaction-fixtures.js';

function received(reliable: boolean, tryingDelayMs?: number) {
  const rig = transactionRig(reliable);
  const invite = testRequest('INVITE');
  const transaction = new InviteServerTransaction(
    'key',
    invite,
    rig.environment,
    rig.channel,
    tryingDelayMs === undefined ? {} : { tryingDelayMs },
  );
  const timeouts: string[] = [];
  transaction.on('timeout', (e) => timeouts.push(e.code));
  return { ...rig, invite, transaction, timeouts };
}

describe('InviteServerTransaction (RFC 3261 §17.2.1, RFC 6026 §7.1)', () => {
  it('sends 100 Trying after 200 ms when the TU is silent, and not when it answers first', () => {
    const silent = received(false);
    silent.clock.advance(199);
    expect(silent.channel.sent).toHaveLength(0);
    silent.clock.advance(1);
    expect(silent.channel.startLines).toEqual(['SIP/2.0 100 Trying']);
    expect(silent.channel.sent[0]?.message.to?.tag).toBeUndefined();

    const quick = received(false);
    quick.transaction.respond(testResponse(quick.invite, 180));
    quick.clock.advance(1_000);
    expect(quick.channel.startLines).toEqual(['SIP/2.0 180 Ringing']);
  });

  it('a retransmitted INVITE re-sends the last provisional in Proceeding (§17.2.1)', () => {
    const t = received(false);
    expect(t.transaction.receiveRequest(t.invite)).toBe('absorbed');
    expect(t.channel.sent).toHaveLength(0);
    t.transaction.respond(testResponse(t.invite, 180));
    t.transaction.receiveRequest(t.invite);
    expect(t.channel.sent.map((s) => [s.message.startLine, s.retransmission])).toEqual([
      ['SIP/2.0 180 Ringing', false],
      ['SIP/2.0 180 Ringing', true],
    ]);
  });

  it('UDP non-2xx: Timer G re-sends from T1 doubling to T2; Timer H gives up after 64·T1 without ACK', () => {
    const t = received(false);
    t.transaction.respond(testResponse(t.invite, 486));
    expect(t.transaction.state).toBe(S.Completed);
    t.clock.advance(32_000);
    expect(t.channel.retransmissionTimes).toEqual([
      500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
    ]);
    expect(t.timeouts).toEqual(['SIP_TRANSACTION_TIMEOUT']);
    expect(t.transaction.state).toBe(S.Terminated);
  });

  it('UDP non-2xx: INVITE retransmission re-sends the final; ACK confirms; Timer I (T4) absorbs ACKs', () => {
    const t = received(false);
    const busy = testResponse(t.invite, 486);
    t.transaction.respond(busy);
    t.clock.advance(100);
    t.transaction.receiveRequest(t.invite);
    const ack = createNon2xxAck(t.invite, busy);
    expect(t.transaction.receiveRequest(ack)).toBe('absorbed');
    expect(t.transaction.state).toBe(S.Confirmed);
    t.clock.advance(4_999);
    expect(t.transaction.receiveRequest(ack)).toBe('absorbed');
    expect(t.transaction.state).toBe(S.Confirmed);
    t.clock.advance(1);
    expect(t.transaction.state).toBe(S.Terminated);
    // Only the INVITE retransmission caused a re-send: Timer G stopped with the ACK.
    expect(t.channel.retransmissionTimes).toEqual([100]);
    expect(t.timeouts).toEqual([]);
  });

  it('TCP/TLS non-2xx: no Timer G; the ACK ends the transaction at once (Timer I = 0)', () => {
    const t = received(true);
    const busy = testResponse(t.invite, 603);
    t.transaction.respond(busy);
    t.clock.advance(10_000);
    expect(t.channel.retransmissionTimes).toEqual([]);
    t.transaction.receiveRequest(createNon2xxAck(t.invite, busy));
    expect(t.transaction.state).toBe(S.Terminated);
  });

  it('TCP/TLS non-2xx: Timer H still applies', () => {
    const t = received(true);
    t.transaction.respond(testResponse(t.invite, 480));
    t.clock.advance(32_000);
    expect(t.timeouts).toEqual(['SIP_TRANSACTION_TIMEOUT']);
  });

  it('2xx: Accepted absorbs INVITE retransmissions, passes ACK to the TU, sends the TU 2xx again; Timer L', () => {
    const t = received(false);
    const ok = testResponse(t.invite, 200);
    t.transaction.respond(ok);
    expect(t.transaction.state).toBe(S.Accepted);
    expect(t.transaction.receiveRequest(t.invite)).toBe('absorbed');
    expect(t.channel.sent).toHaveLength(1);
    t.transaction.respond(ok);
    expect(t.channel.sent.map((s) => s.retransmission)).toEqual([false, true]);
    const ack = testRequest('ACK');
    expect(t.transaction.receiveRequest(ack)).toBe('to-tu');
    t.clock.advance(31_999);
    expect(t.transaction.state).toBe(S.Accepted);
    t.clock.advance(1);
    expect(t.transaction.state).toBe(S.Terminated);
  });

  it('sends a response serialised beforehand as those very bytes, in Proceeding and again in Accepted', () => {
    const t = received(false);
    const ringing = testResponse(t.invite, 180);
    const ok = testResponse(t.invite, 200);
    const [ringingWire, okWire] = [serializeSipMessage(ringing), serializeSipMessage(ok)];
    t.transaction.respond(ringing, ringingWire);
    t.transaction.respond(ok, okWire);
    t.transaction.respond(ok, okWire);
    expect(t.channel.sent.map((s) => s.bytes)).toEqual([ringingWire, okWire, okWire]);
    expect(t.channel.sent.every((s, i) => s.bytes === [ringingWire, okWire, okWire][i])).toBe(true);
    expect(t.channel.sent.map((s) => s.retransmission)).toEqual([false, false, true]);
    expect(t.transaction.state).toBe(S.Accepted);
  });

  it('retransmit2xx re-sends the 2xx from its bytes alone, only while Accepted', () => {
    const t = received(false);
    const ok = testResponse(t.invite, 200);
    const okWire = serializeSipMessage(ok);
    expect(() => t.transaction.retransmit2xx(okWire)).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }),
    );
    t.transaction.respond(ok, okWire);
    t.transaction.retransmit2xx(okWire);
    expect(t.channel.sent.map((s) => [s.bytes === okWire, s.retransmission])).toEqual([
      [true, false],
      [true, true],
    ]);
    t.clock.advance(32_000);
    expect(t.transaction.state).toBe(S.Terminated);
    expect(() => t.transaction.retransmit2xx(okWire)).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_TERMINATED' }),
    );
    expect(t.channel.sent).toHaveLength(2);
  });

  it('refuses a second final response or a provisional after the final one', () => {
    const t = received(false);
    t.transaction.respond(testResponse(t.invite, 486));
    expect(() => t.transaction.respond(testResponse(t.invite, 200))).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }),
    );
    const u = received(false);
    u.transaction.respond(testResponse(u.invite, 200));
    expect(() => u.transaction.respond(testResponse(u.invite, 180))).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }),
    );
    u.clock.advance(32_000);
    expect(() => u.transaction.respond(testResponse(u.invite, 200))).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_TERMINATED' }),
    );
  });
});
