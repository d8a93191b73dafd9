import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/engine/evaluate.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';
import { demo, hangupHeaders, idleCounters, invite } from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

const TRUNKLINE_ALLOW = { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE' };
const PLIVO_ALLOW = { name: 'Allow', value: 'INVITE,ACK,CANCEL,BYE,UPDATE' };

describe('request rules (§3, §4.2 #1, §20)', () => {
  const rows: PolicyRow[] = [
    {
      name: 'a malformed packet is 400 + 4580 invalid_sip_packet',
      attempt: { malformed: { reason: 'no CRLF after the start line', packet: true } },
      expected: {
        status: 400,
        reasonPhrase: 'Bad Request',
        code: 4580,
        causeName: 'invalid_sip_packet',
        source: 'zentrunk',
        ruleId: 'request.parse',
        headers: hangupHeaders(4580, 400, 'invalid_sip_packet'),
      },
    },
    {
      name: 'a malformed header is 400 + 4000 bad_request',
      attempt: { malformed: { reason: 'bad CSeq', packet: false } },
      expected: {
        status: 400,
        reasonPhrase: 'Bad Request',
        code: 4000,
        causeName: 'bad_request',
        source: 'zentrunk',
        ruleId: 'request.parse',
        headers: hangupHeaders(4000, 400, 'bad_request'),
      },
    },
    ...['INFO', 'MESSAGE', 'PRACK', 'PUBLISH', 'REGISTER', 'SUBSCRIBE', 'NOTIFY'].map(
      (method): PolicyRow => ({
        name: `${method} is 405 Method Not Allowed with Allow (default)`,
        attempt: { method },
        expected: {
          status: 405,
          reasonPhrase: 'Method Not Allowed',
          code: 5020,
          causeName: 'not_implemented',
          ruleId: 'request.method',
          headers: [TRUNKLINE_ALLOW, ...hangupHeaders(5020, 405, 'not_implemented')],
        },
      }),
    ),
    {
      name: 'INFO is 501 Not Implemented with the 501 setting and Plivo’s Allow list with that setting',
      attempt: { method: 'INFO' },
      settings: { unsupportedMethodStatus: 501, allowHeader: 'plivo-traces' },
      expected: {
        status: 501,
        reasonPhrase: 'Not Implemented',
        code: 5020,
        ruleId: 'request.method',
        headers: [PLIVO_ALLOW, ...hangupHeaders(5020, 501, 'not_implemented')],
      },
    },
    {
      name: 'an unknown method is 501 whatever the setting (RFC 3261 §21.5.2)',
      attempt: { method: 'FROBNICATE' },
      expected: { status: 501, reasonPhrase: 'Not Implemented', code: 5020, ruleId: 'request.method' },
    },
    {
      name: 'BYE outside a dialog is 481 + 4360',
      attempt: { method: 'BYE' },
      expected: {
        status: 481,
        reasonPhrase: 'Call/Transaction Does Not Exist',
        code: 4360,
        causeName: 'call_does_not_exist',
        ruleId: 'request.method',
      },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });

  it('answers OPTIONS 200 OK with the Allow list, before any trunk lookup', () => {
    const decision = evaluate(
      invite({ method: 'OPTIONS', requestUri: { host: 'unknown.example.com' } }),
      demo,
      idleCounters(),
    );
    expect(decision).toMatchObject({ kind: 'answer', status: 200, reasonPhrase: 'OK' });
    if (decision.kind !== 'answer') return;
    expect(decision.headers).toContainEqual(TRUNKLINE_ALLOW);
    expect(decision.trace.map((t) => t.ruleId)).toEqual([
      'options-rate.blocked',
      'request.parse',
      'request.method',
    ]);
  });

  it('answers OPTIONS with Plivo’s Allow list when that variant is chosen', () => {
    const decision = evaluate(
      invite({ method: 'OPTIONS' }),
      demo,
      idleCounters(),
      policySettings({ allowHeader: 'plivo-traces' }),
    );
    expect(decision.kind === 'answer' && decision.headers).toContainEqual(PLIVO_ALLOW);
  });

  it('drops a stray ACK without a response', () => {
    const decision = evaluate(invite({ method: 'ACK' }), demo, idleCounters());
    expect(decision).toMatchObject({ kind: 'drop', ruleId: 'request.method' });
  });

  it('drops everything from a source the OPTIONS-rate policy blocked', () => {
    for (const method of ['OPTIONS', 'INVITE']) {
      const decision = evaluate(invite({ method }), demo, idleCounters({ sourceBlocked: true }));
      expect(decision).toMatchObject({
        kind: 'drop',
        ruleId: 'options-rate.blocked',
        grade: 'I',
        section: '§3, §11, §20',
      });
      expect(decision.trace).toHaveLength(1);
      expect(decision.trace[0]?.outcome).toBe('fail');
    }
  });
});
