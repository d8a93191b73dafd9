import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { Uas2xxRetransmitter, Uas2xxRetransmitterState as S } from '../../../src/sip/dialog/index.js';
import { DEFAULT_TRANSACTION_TIMERS } from '../../../src/sip/transaction/index.js';

function started(reliable = false) {
  const clock = new ManualClock();
  const resent: number[] = [];
  let timeouts = 0;
  const retransmitter = new Uas2xxRetransmitter({
    clock,
    timers: DEFAULT_TRANSACTION_TIMERS,
    reliable,
    resend: () => resent.push(clock.now()),
  });
  retransmitter.on('timeout', () => timeouts++);
  return { clock, resent, retransmitter, timeouts: () => timeouts };
}

describe('Uas2xxRetransmitter (RFC 3261 §13.3.1.4)', () => {
  it('re-sends the 2xx from T1 doubling to T2 and gives up after 64·T1, telling the TU', () => {
    const t = started();
    t.clock.advance(32_000);
    expect(t.resent).toEqual([500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(t.timeouts()).toBe(1);
    expect(t.retransmitter.state).toBe(S.TimedOut);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('stops at the ACK; a second ACK is recognised as a retransmission', () => {
    const t = started();
    t.clock.advance(2_000);
    expect(t.retransmitter.ackReceived()).toBe(true);
    expect(t.retransmitter.ackReceived()).toBe(false);
    t.clock.advance(60_000);
    expect(t.resent).toEqual([500, 1_500]);
    expect(t.timeouts()).toBe(0);
    expect(t.retransmitter.state).toBe(S.Acknowledged);
  });

  it('on a reliable transport waits for the ACK without re-sending', () => {
    const t = started(true);
    t.clock.advance(32_000);
    expect(t.resent).toEqual([]);
    expect(t.timeouts()).toBe(1);
  });

  it('dispose() stops everything', () => {
    const t = started();
    t.retransmitter.dispose();
    t.clock.advance(60_000);
    expect(t.resent).toEqual([]);
    expect(t.retransmitter.state).toBe(S.Stopped);
  });
});
