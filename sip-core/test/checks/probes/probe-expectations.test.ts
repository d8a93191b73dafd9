import { describe, expect, it } from 'vitest';
import {
  compareResponse,
  createCheckTarget,
  planProbe,
  probeExpectations,
  type ExpectationSettings,
  type ProbeExpectation,
  type ProbeId,
  type ProbePlan,
} from '../../../src/checks/index.js';
import { policySettings, SecretString, type AccountInput } from '../../../src/policy/index.js';
import {
  accountWith,
  ACL_TRUNK_HOST,
  CREDENTIAL_TRUNK_HOST,
  demo,
  OWNED_CALLER_ID,
} from '../../support/policy-fixtures.js';

// The probes' expectations are BEHAVIOUR.md §20 written out, with each setting's alternative; their plans are
// derived from the account. Both are pure, so they are tested as tables.

const defaults = policySettings();

describe('probe expectations (BEHAVIOUR.md §20)', () => {
  const rows: Array<[ProbeId, Partial<ExpectationSettings>, number, number | undefined, string?]> = [
    ['probe-caller-id-not-owned', {}, 403, 4190],
    ['probe-barred-country', {}, 403, 4560],
    ['probe-barred-country', { geoBlockCode: 4650 }, 403, 4650],
    ['probe-premium-number', {}, 403, 4570],
    ['probe-au-cli-prefix', {}, 403, 4190],
    ['probe-missing-country-code', {}, 404, 4100],
    ['probe-codec-mismatch', {}, 488, 4620],
    ['probe-codec-mismatch', { noG711Response: '415' }, 415, 4220],
    ['probe-wrong-credentials', {}, 403, 4180],
    ['probe-trunk-cps', {}, 503, 5180],
    [
      'probe-unsupported-methods',
      {},
      405,
      undefined,
      'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE',
    ],
    [
      'probe-unsupported-methods',
      { allowHeader: 'plivo-traces' },
      405,
      undefined,
      'Allow: INVITE,ACK,CANCEL,BYE,UPDATE',
    ],
    ['probe-unsupported-methods', { unsupportedMethodStatus: 501 }, 501, undefined],
    ['probe-require-100rel', {}, 420, undefined, 'Unsupported: 100rel'],
    ['probe-caller-id-not-owned', { hangupCodeHeaders: false }, 403, undefined],
  ];
  it.each(rows)('%s with %j: %i, hangup code %s', (id, overrides, status, code, header) => {
    const expectation = probeExpectations({ ...defaults, ...overrides })[id]!;
    expect(expectation.status).toBe(status);
    expect(expectation.hangupCode).toBe(code);
    expect(expectation.headers.map((h) => `${h.name}: ${h.value}`)).toEqual(
      header === undefined ? [] : [header],
    );
    expect(expectation.source).toMatch(/BEHAVIOUR\.md §/);
    expect(expectation.remedy.length).toBeGreaterThan(20);
  });

  it('expects the configured challenge before the wrong-credentials refusal', () => {
    expect(probeExpectations(defaults)['probe-wrong-credentials']!.challengeStatus).toBe(407);
    expect(
      probeExpectations({ ...defaults, authChallenge: '401' })['probe-wrong-credentials']!.challengeStatus,
    ).toBe(401);
  });

  it('has no premium expectation when premium blocking is off', () => {
    expect(
      probeExpectations({ ...defaults, premiumBlocking: 'off' })['probe-premium-number'],
    ).toBeUndefined();
  });
});

describe('compareResponse', () => {
  const expected: ProbeExpectation = {
    status: 405,
    hangupCode: 5020,
    headers: [{ name: 'Allow', value: 'INVITE, ACK, BYE', compare: 'token-set' }],
    source: '§20',
    remedy: 'fix it',
  };
  const headers = (allow?: string) => new Map(allow === undefined ? [] : [['allow', allow]]);
  it.each([
    ['everything as expected, Allow in another order and spacing', 405, 5020, 'BYE,INVITE ,ACK', []],
    ['another status', 501, 5020, 'INVITE, ACK, BYE', ['status 501 Reason instead of 405']],
    ['no hangup code', 405, undefined, 'INVITE, ACK, BYE', ['no X-ZT-Hangup-Code instead of 5020']],
    ['another hangup code', 405, 4000, 'INVITE, ACK, BYE', ['hangup code 4000 instead of 5020']],
    ['no Allow', 405, 5020, undefined, ['no Allow header (expected “INVITE, ACK, BYE”)']],
    [
      'an Allow with one more method',
      405,
      5020,
      'INVITE, ACK, BYE, INFO',
      ['Allow: INVITE, ACK, BYE, INFO instead of “INVITE, ACK, BYE”'],
    ],
  ] as const)('%s', (_name, status, hangupCode, allow, mismatches) => {
    const comparison = compareResponse(expected, {
      status,
      reasonPhrase: 'Reason',
      ...(hangupCode !== undefined ? { hangupCode } : {}),
      headers: headers(allow),
    });
    expect(comparison.mismatches).toEqual(mismatches);
    expect(comparison.matches).toBe(mismatches.length === 0);
    expect(comparison.measurements).toContainEqual({ name: 'expectedStatus', value: 405 });
    expect(comparison.measurements).toContainEqual({ name: 'observedStatus', value: status });
  });
});

describe('probe plans derived from the account', () => {
  const facts = (change?: (config: AccountInput) => AccountInput, settings = defaults) => ({
    account: accountWith(change),
    settings,
  });
  const target = (domain = CREDENTIAL_TRUNK_HOST, extra = {}) =>
    createCheckTarget({
      terminationDomain: domain,
      transport: 'udp',
      credentials: { username: 'trunkline', password: new SecretString('Trunkline#2026') },
      ...extra,
    });
  const plan = (id: ProbeId, f = facts(), t = target()) => planProbe(id, f, t, '127.0.0.1');

  it('sends from an owned caller ID to a number the account may call', () => {
    const p = plan('probe-codec-mismatch');
    expect(p).toMatchObject({ kind: 'invite', offer: 'no-g711', call: { domain: CREDENTIAL_TRUNK_HOST } });
    const call = (p as { call: { callerId: string; destination: string } }).call;
    expect(demo.numbers.map((n) => n.number)).toContain(call.callerId);
    expect(call.callerId).not.toBe('+14155550102'); // on the DNO list
  });

  it('uses the target’s test number and caller ID when the account allows them', () => {
    const p = plan(
      'probe-require-100rel',
      facts(),
      target(CREDENTIAL_TRUNK_HOST, { testNumber: '+14155550111', callerId: OWNED_CALLER_ID }),
    );
    expect(p).toMatchObject({ call: { callerId: OWNED_CALLER_ID, destination: '+14155550111' } });
    expect(p).toMatchObject({
      extraHeaders: [
        ['Require', '100rel'],
        ['Supported', '100rel'],
      ],
    });
  });

  it.each([
    [
      'probe-caller-id-not-owned',
      (p: { call: { callerId: string } }) => !demo.numbers.some((n) => n.number === p.call.callerId),
    ],
    ['probe-barred-country', (p: { call: { destination: string } }) => p.call.destination.startsWith('+53')],
    ['probe-premium-number', (p: { call: { destination: string } }) => /^\+88[123]/.test(p.call.destination)],
    ['probe-au-cli-prefix', (p: { call: { callerId: string } }) => /^\+6113/.test(p.call.callerId)],
    [
      'probe-missing-country-code',
      (p: { call: { destination: string } }) => /^[2-9]\d{6,}$/.test(p.call.destination),
    ],
  ] as const)('%s picks its number from the account', (id, holds) => {
    const p = plan(id);
    expect(p.kind).toBe('invite');
    expect(holds(p as never)).toBe(true);
  });

  it('follows another account: its barred country, its high-risk prefix, its AU caller ID', () => {
    const f = facts((c) => ({
      ...c,
      numbers: [...(c.numbers ?? []), { number: '+611300123456' }],
      permissions: { ...c.permissions, geo: { barred_countries: ['DE'] }, high_risk_prefixes: ['+882'] },
    }));
    const destination = (p: ProbePlan) => ('call' in p ? p.call.destination : '');
    expect(destination(plan('probe-barred-country', f))).toMatch(/^\+49/);
    expect(destination(plan('probe-premium-number', f))).toMatch(/^\+882/);
    // An owned caller ID under a blocked prefix: the country rule refuses it, not ownership.
    expect(plan('probe-au-cli-prefix', f)).toMatchObject({ call: { callerId: '+611300123456' } });
  });

  it.each([
    [
      'no barred country',
      'probe-barred-country',
      (c: AccountInput) => ({ ...c, permissions: { ...c.permissions, geo: {} } }),
    ],
    [
      'every high-risk prefix approved',
      'probe-premium-number',
      (c: AccountInput) => ({
        ...c,
        permissions: { ...c.permissions, premium_allow_list: ['+881', '+882', '+883'] },
      }),
    ],
    [
      'a trunk without CPS of its own',
      'probe-trunk-cps',
      (c: AccountInput) => ({ ...c, limits: { ...c.limits, trunk_cps: { '10000000000001': null } } }),
    ],
  ] as const)('does not apply with %s', (_name, id, change) => {
    expect(plan(id, facts(change))).toMatchObject({ kind: 'not-applicable' });
  });

  it('bursts one call more than the trunk’s CPS', () => {
    expect(plan('probe-trunk-cps')).toMatchObject({ kind: 'burst', trunkCps: 1, size: 2 });
    const f = facts((c) => ({
      ...c,
      limits: { ...c.limits, account_cps: 6, trunk_cps: { '10000000000001': 2.5 } },
    }));
    expect(plan('probe-trunk-cps', f)).toMatchObject({ kind: 'burst', trunkCps: 2.5, size: 4 });
  });

  it('tests wrong credentials on the target’s credential trunk, or on another one when the ACL lets us in', () => {
    expect(plan('probe-wrong-credentials')).toMatchObject({
      kind: 'wrong-credentials',
      username: 'trunkline',
      call: { domain: CREDENTIAL_TRUNK_HOST },
    });
    // The IP-ACL trunk never challenges 127.0.0.1: the probe moves to the account's credential trunk.
    expect(plan('probe-wrong-credentials', facts(), target(ACL_TRUNK_HOST))).toMatchObject({
      call: { domain: CREDENTIAL_TRUNK_HOST },
    });
    const aclOnly = facts((c) => ({
      ...c,
      trunks: (c.trunks ?? []).filter((t) => t.credential_uuid === undefined),
    }));
    expect(plan('probe-wrong-credentials', aclOnly, target(ACL_TRUNK_HOST))).toMatchObject({
      kind: 'not-applicable',
    });
  });

  it('cannot run against a domain that is not a trunk of the account', () => {
    const p = plan('probe-codec-mismatch', facts(), target('99999999999999.zt.plivo.com'));
    expect(p.kind).toBe('unusable');
    expect('reason' in p ? p.reason : '').toMatch(/not an outbound trunk/);
  });

  it('sends INFO, MESSAGE and REGISTER', () => {
    expect(plan('probe-unsupported-methods')).toMatchObject({
      kind: 'methods',
      methods: ['INFO', 'MESSAGE', 'REGISTER'],
    });
  });
});
