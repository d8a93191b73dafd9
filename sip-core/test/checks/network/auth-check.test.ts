import { afterEach, describe, expect, it } from 'vitest';
import {
  authCheck,
  CheckRunner,
  createNetworkCheckServices,
  type CheckResult,
  type CheckTargetInput,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { SecretString } from '../../../src/policy/index.js';
import { testTarget } from '../../support/check-fixtures.js';
import { FakeTrunk, type FakeTrunkOptions } from '../../support/fake-trunk.js';

// The auth check against a test trunk built on sip/stack + DigestServer, over UDP and TCP: each configuration
// (credential trunk, IP-ACL trunk, source not allowed) and each failure mode, with no call left up.

const alone = { ...authCheck, dependsOn: [] };
let trunk: FakeTrunk | undefined;
afterEach(async () => {
  await trunk?.close();
  trunk = undefined;
});

const credentials = (password = 'secret') => ({ username: 'pbx', password: new SecretString(password) });

async function runAuth(
  trunkOptions: FakeTrunkOptions,
  target: Partial<CheckTargetInput> = {},
  transport: 'udp' | 'tcp' = 'udp',
): Promise<CheckResult> {
  trunk = await FakeTrunk.start({ transport }, trunkOptions);
  const services = createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' });
  const runner = new CheckRunner({ checks: [alone], services });
  const run = await runner.run(
    testTarget({
      transport,
      outboundProxy: { host: '127.0.0.1', port: trunk.port },
      callerId: '+14155550100',
      ...target,
    }),
  );
  return run.results[0];
}

function firstLines(result: CheckResult): string[][] {
  return result.evidence.sip.map((exchange) => exchange.messages.map((m) => m.text.split('\r\n')[0]));
}

describe('auth check', () => {
  it.each([
    ['MD5', 'udp'],
    ['SHA-256', 'tcp'],
  ] as const)(
    'a credential trunk challenges, and accepts the %s digest (%s)',
    async (algorithm, transport) => {
      const result = await runAuth(
        { auth: 'digest', algorithms: [algorithm] },
        { credentials: credentials() },
        transport,
      );
      expect(result.status).toBe('pass');
      expect(result.summary).toMatch(/Credentials accepted/);
      expect(result.measurements).toContainEqual({ name: 'challenged', value: true });
      expect(result.measurements).toContainEqual({ name: 'algorithm', value: algorithm });
      expect(result.measurements).toContainEqual({ name: 'authenticatedStatus', value: 404 });
      expect(trunk!.invites).toEqual([
        { credentials: false, status: 407 },
        { credentials: true, status: 404 },
      ]);
      expect(firstLines(result)[1][0]).toMatch(/^INVITE sip:trunkline-auth-check@/);
      const sent = result.evidence.sip[1].messages[0].text;
      expect(sent).toMatch(/Proxy-Authorization: Digest .*response="…"/);
      expect(sent).not.toContain('secret');
    },
  );

  it('fails wrong credentials with 4180 and the remedy', async () => {
    const result = await runAuth({ auth: 'digest' }, { credentials: credentials('wrong') });
    expect(result.status).toBe('fail');
    expect(result.cause).toMatchObject({ hangupCode: 4180, sipStatus: 403 });
    expect(result.cause?.summary).toMatch(/call_rejected_unauthorized/);
    expect(result.remedy).toBeDefined();
  });

  it('fails a trunk that keeps challenging', async () => {
    const result = await runAuth({ auth: 'digest', alwaysChallenge: true }, { credentials: credentials() });
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/challenged again \(407\): the credentials were not accepted/);
    expect(result.cause).toMatchObject({ hangupCode: 4180, sipStatus: 407 });
  });

  it('explains a bare 403 as 4180 or 4190', async () => {
    const result = await runAuth(
      { auth: 'digest', afterAuth: { status: 403 } },
      { credentials: credentials() },
    );
    expect(result.status).toBe('fail');
    expect(result.cause?.summary).toMatch(/4180 call_rejected_unauthorized .* 4190 unknown_caller_id/);
  });

  it('fails a caller ID the account does not own (4190), after authenticating', async () => {
    const result = await runAuth(
      { auth: 'digest', afterAuth: { status: 403, hangupCode: 4190 } },
      { credentials: credentials() },
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/Authentication passed, but the caller ID \+14155550100 was refused/);
    expect(result.cause).toMatchObject({ hangupCode: 4190, hangupCauseName: 'unknown_caller_id' });
    expect(result.remedy).toMatch(/Plivo number/);
  });

  it('fails a credential trunk when the target has no credentials', async () => {
    const result = await runAuth({ auth: 'digest' });
    expect(result.status).toBe('fail');
    expect(result.remedy).toMatch(/--username/);
  });

  it('passes an IP-ACL trunk without credentials, and warns when credentials go untested', async () => {
    const acl = await runAuth({ auth: 'acl' });
    expect(acl.status).toBe('pass');
    expect(acl.measurements).toContainEqual({ name: 'challenged', value: false });
    const untested = await runAuth({ auth: 'acl' }, { credentials: credentials() });
    expect(untested.status).toBe('warning');
  });

  it('fails a source outside the IP ACL with 4180', async () => {
    const result = await runAuth({ auth: 'acl-reject' });
    expect(result).toMatchObject({ status: 'fail', cause: { hangupCode: 4180 } });
  });

  it('cancels an INVITE that starts ringing, so no call is placed', async () => {
    const result = await runAuth({ auth: 'digest', afterAuth: 'ring' }, { credentials: credentials() });
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/487/);
    expect(trunk!.cancels).toBe(1);
    expect(firstLines(result)[1]).toEqual(
      expect.arrayContaining([
        'SIP/2.0 180 Ringing',
        expect.stringMatching(/^CANCEL /),
        'SIP/2.0 487 Request Terminated',
      ]),
    );
  });

  it('ends an INVITE that is answered anyway: ACK and BYE before the check finishes', async () => {
    const result = await runAuth(
      { auth: 'digest', afterAuth: { status: 200 } },
      { credentials: credentials() },
      'tcp',
    );
    expect(result.status).toBe('pass');
    expect(trunk!.acks).toBe(1);
    expect(trunk!.byes).toBe(1);
    expect(firstLines(result)[1]).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ACK /),
        expect.stringMatching(/^BYE /),
        'SIP/2.0 200 OK',
      ]),
    );
  });
});
