import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/engine/evaluate.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';
import {
  DEMO_TRUNK_IDS,
  accountWith,
  demo,
  hangupHeaders,
  idleCounters,
  invite,
} from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

const CPS_REACHED = {
  status: 503,
  reasonPhrase: 'Service Unavailable',
  code: 5180,
  causeName: 'cps_limit_reached',
  source: 'zentrunk',
  headers: hangupHeaders(5180, 503, 'cps_limit_reached'),
};
const limitedTo2 = accountWith((c) => ({ ...c, limits: { ...c.limits, max_concurrent_calls: 2 } }));

describe('limits (§4.2 #7–9, §12.1–12.2, §20)', () => {
  const rows: PolicyRow[] = [
    {
      name: 'trunk CPS exceeded is 503 + 5180 at once',
      counters: { trunkCallsThisSecond: { [DEMO_TRUNK_IDS.ipAcl]: 1 } },
      expected: { ...CPS_REACHED, ruleId: 'limits.trunk-cps' },
    },
    {
      name: 'another trunk’s calls do not count against this trunk',
      counters: { trunkCallsThisSecond: { [DEMO_TRUNK_IDS.credential]: 1 } },
      expected: { allow: 'limits.trunk-cps' },
    },
    {
      name: 'account CPS exceeded with the reject setting is 503 + 5180 at once',
      counters: { accountCallsThisSecond: 3 },
      settings: { accountCpsOverflow: 'reject' },
      expected: { ...CPS_REACHED, ruleId: 'limits.account-cps' },
    },
    {
      name: 'concurrency is unlimited by default',
      counters: { activeCalls: 10_000 },
      expected: { allow: 'limits.concurrency' },
    },
    {
      name: 'a concurrency limit reached is 503 + 5190',
      account: limitedTo2,
      counters: { activeCalls: 2 },
      expected: {
        status: 503,
        reasonPhrase: 'Service Unavailable',
        code: 5190,
        causeName: 'concurrent_call_limit_exceeded',
        ruleId: 'limits.concurrency',
      },
    },
    {
      name: 'below the concurrency limit passes',
      account: limitedTo2,
      counters: { activeCalls: 1 },
      expected: { allow: 'limits.concurrency' },
    },
    {
      name: 'no credit left is 402 + 4030',
      counters: { creditBalanceUsd: 0 },
      expected: {
        status: 402,
        reasonPhrase: 'Payment Required',
        code: 4030,
        causeName: 'insufficient_plivo_credits',
        source: 'zentrunk',
        ruleId: 'limits.credits',
        headers: hangupHeaders(4030, 402, 'insufficient_plivo_credits'),
      },
    },
    {
      name: 'an account configured with no credit is 402 + 4030 when no live balance is given',
      account: accountWith((c) => ({ ...c, limits: { ...c.limits, credit_balance_usd: 0 } })),
      expected: { status: 402, reasonPhrase: 'Payment Required', code: 4030, ruleId: 'limits.credits' },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });

  it('queues an account-CPS overflow by default, bounded by 10 s, then 503 + 5180', () => {
    const decision = evaluate(invite(), demo, idleCounters({ accountCallsThisSecond: 3 }));
    expect(decision).toMatchObject({
      kind: 'queue',
      maxWaitMs: 10_000,
      ruleId: 'limits.account-cps',
      grade: 'D',
    });
    if (decision.kind !== 'queue') return;
    expect(decision.onTimeout).toMatchObject({ kind: 'reject', status: 503, cause: { code: 5180 } });
    expect(decision.onTimeout.headers).toEqual(hangupHeaders(5180, 503, 'cps_limit_reached'));
    expect(decision.trace.find((t) => t.ruleId === 'limits.account-cps')?.outcome).toBe('fail');
    // The later rules ran: a queued call is one that would otherwise be allowed.
    expect(decision.trace.at(-1)?.ruleId).toBe('hops.loop');
  });

  it('uses the configured queue bound', () => {
    const settings = policySettings({ accountCpsQueueBoundMs: 2_500 });
    const decision = evaluate(invite(), demo, idleCounters({ accountCallsThisSecond: 5 }), settings);
    expect(decision).toMatchObject({ kind: 'queue', maxWaitMs: 2_500 });
  });

  it('refuses at once instead of queueing a call that a later rule rejects', () => {
    const decision = evaluate(
      invite({ fromUser: '+14155559999' }),
      demo,
      idleCounters({ accountCallsThisSecond: 3 }),
    );
    expect(decision).toMatchObject({ kind: 'reject', cause: { code: 4190 } });
  });

  describe('a trunk with no CPS allocation of its own (docs/adr/0080)', () => {
    const poolHost = `${DEMO_TRUNK_IDS.pool}.zt.plivo.com`;

    it('passes the trunk rule whatever its own count, and says why', () => {
      const decision = evaluate(
        invite({ requestUri: { host: poolHost } }),
        demo,
        idleCounters({ trunkCallsThisSecond: { [DEMO_TRUNK_IDS.pool]: 50 } }),
      );
      expect(decision.kind).toBe('allow');
      const entry = decision.trace.find((t) => t.ruleId === 'limits.trunk-cps');
      expect(entry?.outcome).toBe('pass');
      expect(entry?.detail).toMatch(/no CPS allocation of its own/);
    });

    it('queues on the account pool when the account CPS is used up', () => {
      const decision = evaluate(
        invite({ requestUri: { host: poolHost } }),
        demo,
        idleCounters({ accountCallsThisSecond: 3 }),
      );
      expect(decision).toMatchObject({ kind: 'queue', ruleId: 'limits.account-cps' });
    });

    it('a trunk with an allocation is still bounded by it', () => {
      const decision = evaluate(
        invite(),
        demo,
        idleCounters({ trunkCallsThisSecond: { [DEMO_TRUNK_IDS.ipAcl]: 1 } }),
      );
      expect(decision).toMatchObject({ kind: 'reject', ruleId: 'limits.trunk-cps' });
    });
  });

  it('reports the CDR name insufficient_credits for 4030', () => {
    const decision = evaluate(invite(), demo, idleCounters({ creditBalanceUsd: -0.2 }));
    expect(decision.kind === 'reject' && decision.cause?.cdrCauseName).toBe('insufficient_credits');
  });
});
