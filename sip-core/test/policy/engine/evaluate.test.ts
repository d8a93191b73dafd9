import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/engine/evaluate.js';
import { OUTBOUND_RULES } from '../../../src/policy/rules/outbound-rules.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';
import { EVIDENCE_GRADES } from '../../../src/policy/evidence.js';
import { CREDENTIAL_TRUNK_HOST, demo, idleCounters, invite } from '../../support/policy-fixtures.js';

describe('evaluate', () => {
  it('allows a good INVITE and traces every rule, in table order', () => {
    const decision = evaluate(invite(), demo, idleCounters());
    expect(decision.kind).toBe('allow');
    expect(decision.trace.map((t) => t.ruleId)).toEqual(OUTBOUND_RULES.map((r) => r.id));
    for (const entry of decision.trace) {
      expect(['pass', 'skipped']).toContain(entry.outcome);
      expect(entry.section).toMatch(/^§\d/);
      expect(EVIDENCE_GRADES).toContain(entry.grade);
      expect(entry.detail.length).toBeGreaterThan(3);
    }
  });

  it('keeps §4.2 order: trunk, enabled, secure, auth, CPS, concurrency, credits, caller ID, destination, media, hops', () => {
    const ids = OUTBOUND_RULES.map((r) => r.id);
    const order = [
      'request.parse',
      'trunk.lookup',
      'trunk.enabled-outbound',
      'trunk.secure-transport',
      'auth.acl-or-digest',
      'limits.trunk-cps',
      'limits.account-cps',
      'limits.concurrency',
      'limits.credits',
      'caller-id.numeric',
      'caller-id.length',
      'caller-id.owned',
      'caller-id.dno',
      'caller-id.country-rules',
      'destination.format',
      'destination.geo',
      'destination.premium',
      'destination.india-anchoring',
      'media.codecs',
      'session-timer.min-se',
      'hops.max-forwards',
      'hops.loop',
    ];
    expect(order.map((id) => ids.indexOf(id))).toEqual(
      [...order.map((id) => ids.indexOf(id))].sort((a, b) => a - b),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    // [failing inputs, the rule that must win]
    [{ fromUser: '+14155559999', requestUri: { user: '+5372345678' } }, 'caller-id.owned'],
    [{ fromUser: 'anonymous', maxForwards: 0 }, 'caller-id.numeric'],
    [{ requestUri: { host: 'nope.zt.plivo.com' }, fromUser: 'x' }, 'trunk.lookup'],
    [{ transport: 'tls' as const, source: { ip: '203.0.113.1', port: 5061 } }, 'trunk.secure-transport'],
    [{ source: { ip: '203.0.113.1', port: 5060 }, fromUser: 'x' }, 'auth.acl-or-digest'],
    [{ requestUri: { user: '+19005550100' }, sessionExpiresS: 30 }, 'destination.premium'],
    [{ requestUri: { user: '+5372345678' }, loopDetected: true }, 'destination.geo'],
    [
      {
        sdp: {
          profile: 'RTP/AVP',
          payloadTypes: [18],
          codecs: ['G729'],
          cryptoSuites: [],
          telephoneEvent: false,
        },
        loopDetected: true,
      },
      'media.codecs',
    ],
    [{ require: ['100rel'], fromUser: 'anonymous' }, 'request.require'],
  ])('reports the earlier of two failures (%#)', (attempt, ruleId) => {
    const decision = evaluate(invite(attempt), demo, idleCounters());
    expect(decision.kind === 'reject' || decision.kind === 'challenge').toBe(true);
    expect('ruleId' in decision && decision.ruleId).toBe(ruleId);
    expect(decision.trace.at(-1)?.ruleId).toBe(ruleId);
  });

  it('reports CPS before the caller ID when both fail', () => {
    const decision = evaluate(
      invite({ fromUser: '+14155559999' }),
      demo,
      idleCounters({ trunkCallsThisSecond: { '10000000000002': 5 } }),
    );
    expect(decision).toMatchObject({ kind: 'reject', cause: { code: 5180 } });
  });

  it('challenges before checking the caller ID on a credential trunk', () => {
    const decision = evaluate(
      invite({ requestUri: { host: CREDENTIAL_TRUNK_HOST }, fromUser: 'x' }),
      demo,
      idleCounters(),
    );
    expect(decision.kind).toBe('challenge');
  });

  it('leaves the hangup headers off when the setting is off', () => {
    const decision = evaluate(
      invite({ fromUser: '+14155559999' }),
      demo,
      idleCounters(),
      policySettings({ hangupCodeHeaders: false }),
    );
    expect(decision).toMatchObject({ kind: 'reject', headers: [], cause: { code: 4190 } });
  });

  it('marks missing counters as not evaluated instead of failing', () => {
    const decision = evaluate(invite(), demo, {});
    expect(decision.kind).toBe('allow');
    const outcomes = Object.fromEntries(decision.trace.map((t) => [t.ruleId, t.outcome]));
    expect(outcomes).toMatchObject({
      'options-rate.blocked': 'unknown',
      'limits.trunk-cps': 'unknown',
      'limits.account-cps': 'unknown',
      'limits.concurrency': 'pass', // unlimited needs no counter
      'limits.credits': 'pass', // the account's configured balance
    });
  });

  it('sets STIR: Verified/A for an owned caller ID to the US, Not Applicable abroad (§10)', () => {
    const us = evaluate(invite(), demo, idleCounters());
    expect(us.kind === 'allow' && us.stir).toEqual({ verification: 'Verified', attestation: 'A' });
    expect(us.kind === 'allow' && us.headers).toEqual([
      { name: 'X-Plivo-Stir-Verification', value: 'Verified' },
    ]);
    const gb = evaluate(invite({ requestUri: { user: '+442079460123' } }), demo, idleCounters());
    expect(gb.kind === 'allow' && gb.stir).toEqual({ verification: 'Not Applicable', attestation: null });
  });

  it('returns the trunk and caller ID on allow', () => {
    const decision = evaluate(invite({ fromUser: '14155550101' }), demo, idleCounters());
    expect(decision).toMatchObject({
      kind: 'allow',
      trunk: { trunk_id: '10000000000002' },
      callerId: { e164: '+14155550101', country: 'US' },
    });
  });

  it('never throws on odd but typed input', () => {
    const odd = invite({
      method: 'invite',
      source: { ip: 'not-an-ip', port: 0 },
      requestUri: { scheme: 'SIP', user: '', host: '' },
      fromUser: '',
      maxForwards: -5,
      sessionExpiresS: 0,
    });
    expect(() => evaluate(odd, demo, idleCounters())).not.toThrow();
  });
});
