// Digest authentication of the softphone against our DigestServer (in the test trunk), over real UDP: the trunk
// challenges the INVITE with 407 as Zentrunk does, with MD5, SHA-256 or both in either order. sip.js alone
// answers only MD5 and only the last challenge field; patch 001 hands every field to our DigestClient.
// A wrong password is refused 403 with X-ZT-Hangup-Code 4180 and explained with its remedy. No password ever
// appears in a trace record or a log line.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DigestAlgorithm } from '../../src/sip/auth/index.js';
import type { SipTraceRecord } from '../../src/sip/trace/index.js';
import type { UaLogEntry } from '../../src/ua/softphone-user-agent.js';
import { endOf, startPhoneAndTrunk, untilState } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';

const teardown = useTeardown();
const USERNAME = 'zt1trunkuser';
const PASSWORD = 'Sw0rdfish~2026!';

async function authenticatedCall(algorithms: readonly DigestAlgorithm[], password = PASSWORD) {
  const { trunk, phone } = await startPhoneAndTrunk('udp', teardown, {
    trunk: { auth: { algorithms, username: USERNAME, password: PASSWORD }, domain: '127.0.0.1' },
    profile: { username: USERNAME, password },
  });
  const call = phone.call('+14155550100');
  const ended = endOf(call);
  const invites = () => trunk.received.filter((r) => r.method === 'INVITE');
  return { trunk, phone, call, ended, invites };
}

function algorithmOf(authorization: string | undefined): string | undefined {
  return /algorithm=("?)([A-Za-z0-9-]+)\1/.exec(authorization ?? '')?.[2];
}

describe('digest authentication (407 from the trunk)', () => {
  it.each([
    [['MD5'], 'MD5'],
    [['SHA-256'], 'SHA-256'],
    [['SHA-256', 'MD5'], 'SHA-256'],
    // SHA-256 listed last: stock sip.js reads only this last field and gives up (ADR 0031); we answer the topmost.
    [['MD5', 'SHA-256'], 'MD5'],
  ] as const)('answers a %j challenge with %s and the call is answered', async (algorithms, expected) => {
    const { trunk, call, invites } = await authenticatedCall(algorithms);
    await untilState(call, 'answered');
    expect(invites()).toHaveLength(2);
    const authorised = trunk.calls.at(-1)!.invite;
    expect(algorithmOf(authorised.headers.get('Proxy-Authorization'))).toBe(expected);
    expect(authorised.headers.get('Proxy-Authorization')).toContain(`username="${USERNAME}"`);
    await call.hangup();
  });

  it('reports a wrong password as 4180 call_rejected_unauthorized with the remedy, after one retry only', async () => {
    const { ended, invites } = await authenticatedCall(['MD5'], 'not-the-password');
    const end = await ended;
    expect(invites()).toHaveLength(2);
    expect(end.outcome).toBe('rejected');
    expect(end.hangup).toMatchObject({
      sipStatus: 403,
      code: 4180,
      name: 'call_rejected_unauthorized',
      source: 'zentrunk',
      inferred: false,
      basis: 'x-zt-hangup-code',
    });
    expect(end.hangup.remedy).toMatch(/username and password/);
  });

  it('never lets the password into a trace record, a log line, a warning or an inspected object', async () => {
    const { trunk, phone } = await startPhoneAndTrunk('udp', teardown, {
      trunk: { auth: { algorithms: ['SHA-256', 'MD5'], username: USERNAME, password: PASSWORD } },
      profile: { username: USERNAME, password: PASSWORD },
      phone: { logLevel: 'debug' },
    });
    const records: SipTraceRecord[] = [];
    const logs: UaLogEntry[] = [];
    const warnings: string[] = [];
    phone.trace.subscribe((record) => records.push(record));
    trunk.stack.trace.subscribe((record) => records.push(record));
    phone.on('log', (entry) => logs.push(entry));
    phone.on('warning', (warning) => warnings.push(warning.message));

    const good = phone.call('+14155550100');
    await untilState(good, 'answered');
    await good.hangup();
    const endGood = await endOf(good);

    // The same phone with a wrong password exercises the failure paths too.
    const { phone: wrong } = await startPhoneAndTrunk('udp', teardown, {
      trunk: { auth: { algorithms: ['MD5'], username: USERNAME, password: 'another' } },
      profile: { username: USERNAME, password: PASSWORD },
      phone: { logLevel: 'debug' },
    });
    wrong.trace.subscribe((record) => records.push(record));
    wrong.on('log', (entry) => logs.push(entry));
    wrong.on('warning', (warning) => warnings.push(warning.message));
    const endBad = await endOf(wrong.call('+14155550100'));
    expect(endBad.hangup.code).toBe(4180);

    expect(records.length).toBeGreaterThan(10);
    expect(logs.length).toBeGreaterThan(10);
    const texts = [
      ...records.map((record) =>
        record.kind === 'message' ? Buffer.from(record.bytes).toString('latin1') : JSON.stringify(record),
      ),
      ...logs.map((entry) => `${entry.category} ${entry.message}`),
      ...warnings,
      JSON.stringify(endGood),
      JSON.stringify(endBad),
      inspect(phone, { depth: 8 }),
      inspect(phone.profile, { depth: 8 }),
      JSON.stringify(phone.profile),
    ];
    expect(
      texts.some((text) => text.includes('Proxy-Authorization')),
      'the search sees the credentials',
    ).toBe(true);
    for (const text of texts) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    }
  });
});
