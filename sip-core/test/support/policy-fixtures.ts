// Arrange helpers for the policy tests: a valid INVITE from the demo PBX, counters with room, and an assertion
// that a decision is the expected rejection AND that the trace names the rule, section and grade.

import { expect } from 'vitest';
import { accountSchema, type Account, type AccountInput } from '../../src/policy/account/account-schema.js';
import { DEMO_ACCOUNT_CONFIG, DEMO_TRUNK_IDS, demoAccount } from '../../src/policy/account/demo-account.js';
import type { CallAttempt, PolicyCounters } from '../../src/policy/engine/call-attempt.js';
import type { HeaderField, PolicyDecision } from '../../src/policy/engine/policy-decision.js';
import { OUTBOUND_RULES } from '../../src/policy/rules/outbound-rules.js';

export { DEMO_TRUNK_IDS };

export const ACL_TRUNK_HOST = `${DEMO_TRUNK_IDS.ipAcl}.zt.plivo.com`;
export const CREDENTIAL_TRUNK_HOST = `${DEMO_TRUNK_IDS.credential}.zt.plivo.com`;
export const SECURE_TRUNK_HOST = `${DEMO_TRUNK_IDS.secure}.zt.plivo.com`;
export const OWNED_CALLER_ID = '+14155550101';

export type AttemptOverrides = Partial<Omit<CallAttempt, 'requestUri'>> & {
  requestUri?: Partial<CallAttempt['requestUri']>;
};

/** An INVITE the demo account allows: IP-ACL trunk from 127.0.0.1, owned caller ID, PCMU offer, US number. */
export function invite(overrides: AttemptOverrides = {}): CallAttempt {
  const { requestUri, ...rest } = overrides;
  return {
    method: 'INVITE',
    transport: 'udp',
    source: { ip: '127.0.0.1', port: 5070 },
    fromUser: OWNED_CALLER_ID,
    paiUser: null,
    require: [],
    supported: ['timer', 'replaces'],
    maxForwards: 70,
    loopDetected: false,
    sdp: {
      profile: 'RTP/AVP',
      payloadTypes: [0, 8, 101],
      codecs: ['PCMU', 'PCMA', 'telephone-event'],
      cryptoSuites: [],
      telephoneEvent: true,
    },
    auth: { state: 'none' },
    sessionExpiresS: null,
    malformed: null,
    ...rest,
    requestUri: { scheme: 'sip', user: '+14155550111', host: ACL_TRUNK_HOST, ...requestUri },
  };
}

/** Counters with room for one more call everywhere. */
export function idleCounters(overrides: PolicyCounters = {}): PolicyCounters {
  return {
    trunkCallsThisSecond: {},
    accountCallsThisSecond: 0,
    activeCalls: 0,
    sourceBlocked: false,
    ...overrides,
  };
}

/** The demo account with changes (validated structurally, so tests may build states the cross-checks refuse). */
export function accountWith(change: (config: AccountInput) => AccountInput = (c) => c): Account {
  return accountSchema.parse(change(structuredClone(DEMO_ACCOUNT_CONFIG)));
}

export const demo: Account = demoAccount();

export interface ExpectedReject {
  status: number;
  reasonPhrase: string;
  code: number | undefined;
  causeName?: string;
  source?: string;
  ruleId: string;
  headers?: HeaderField[];
}

/** Asserts a rejection and its trace: the deciding rule is last, failed, and carries its section and grade. */
export function expectReject(decision: PolicyDecision, expected: ExpectedReject): void {
  expect(decision.kind).toBe('reject');
  if (decision.kind !== 'reject') return;
  expect({ status: decision.status, reasonPhrase: decision.reasonPhrase, ruleId: decision.ruleId }).toEqual({
    status: expected.status,
    reasonPhrase: expected.reasonPhrase,
    ruleId: expected.ruleId,
  });
  expect(decision.cause?.code).toBe(expected.code);
  if (expected.causeName !== undefined) expect(decision.cause?.causeName).toBe(expected.causeName);
  if (expected.source !== undefined) expect(decision.cause?.source).toBe(expected.source);
  if (expected.headers !== undefined) expect(decision.headers).toEqual(expected.headers);
  const last = decision.trace.at(-1);
  const rule = OUTBOUND_RULES.find((r) => r.id === expected.ruleId);
  expect(last).toMatchObject({
    ruleId: expected.ruleId,
    outcome: 'fail',
    section: rule?.section,
    grade: rule?.grade,
  });
  expect(decision.section).toBe(rule?.section);
  expect(decision.grade).toBe(rule?.grade);
  expect(decision.explanation).toMatch(/\.$/);
}

/** The X-ZT-Hangup-Code and Reason headers the §20 default adds. */
export function hangupHeaders(code: number, status: number, causeName: string): HeaderField[] {
  return [
    { name: 'X-ZT-Hangup-Code', value: String(code) },
    { name: 'Reason', value: `SIP;cause=${status};text="${causeName}"` },
  ];
}
