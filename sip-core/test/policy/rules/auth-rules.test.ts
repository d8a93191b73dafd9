import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/engine/evaluate.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';
import {
  CREDENTIAL_TRUNK_HOST,
  SECURE_TRUNK_HOST,
  demo,
  hangupHeaders,
  idleCounters,
  invite,
} from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

const SAVP = {
  profile: 'RTP/SAVP',
  payloadTypes: [0],
  codecs: ['PCMU'],
  cryptoSuites: ['AES_CM_128_HMAC_SHA1_80'],
  telephoneEvent: false,
};
const outside = { ip: '203.0.113.7', port: 5060 };
const UNAUTHORIZED = {
  status: 403,
  reasonPhrase: 'Forbidden',
  code: 4180,
  causeName: 'call_rejected_unauthorized',
  source: 'zentrunk',
  ruleId: 'auth.acl-or-digest',
  headers: hangupHeaders(4180, 403, 'call_rejected_unauthorized'),
};

describe('authentication (§4.2 #5–6, §20)', () => {
  const rows: PolicyRow[] = [
    {
      name: 'an IP-ACL trunk lets 127.0.0.1 in without a challenge',
      expected: { allow: 'auth.acl-or-digest' },
    },
    {
      name: 'an IP-ACL trunk lets ::1 in (IPv6 entry)',
      attempt: { source: { ip: '::1', port: 5060 } },
      expected: { allow: 'auth.acl-or-digest' },
    },
    {
      name: 'an IP-ACL trunk reads an IPv4-mapped IPv6 source as IPv4',
      attempt: { source: { ip: '::ffff:127.0.0.1', port: 5060 } },
      expected: { allow: 'auth.acl-or-digest' },
    },
    {
      name: 'a source outside the IP ACL is 403 + 4180',
      attempt: { source: outside },
      expected: UNAUTHORIZED,
    },
    {
      name: 'credentials do not open an ACL-only trunk',
      attempt: { source: outside, auth: { state: 'valid', credential_uuid: 'demo-credential' } },
      expected: UNAUTHORIZED,
    },
    {
      name: 'wrong credentials on a credential trunk are 403 + 4180',
      attempt: { requestUri: { host: CREDENTIAL_TRUNK_HOST }, auth: { state: 'invalid' } },
      expected: UNAUTHORIZED,
    },
    {
      name: 'another trunk’s valid credentials are wrong credentials here',
      attempt: {
        requestUri: { host: CREDENTIAL_TRUNK_HOST },
        auth: { state: 'valid', credential_uuid: 'demo-secure-credential' },
      },
      expected: UNAUTHORIZED,
    },
    {
      name: 'valid credentials open a credential trunk from anywhere',
      attempt: {
        source: outside,
        requestUri: { host: CREDENTIAL_TRUNK_HOST },
        auth: { state: 'valid', credential_uuid: 'demo-credential' },
      },
      expected: { allow: 'auth.acl-or-digest' },
    },
    {
      name: 'ACL and credentials: the ACL alone suffices by default',
      attempt: { sdp: SAVP, requestUri: { host: SECURE_TRUNK_HOST } },
      expected: { allow: 'auth.acl-or-digest' },
    },
    {
      name: 'ACL and credentials: valid credentials alone suffice by default',
      attempt: {
        sdp: SAVP,
        source: outside,
        requestUri: { host: SECURE_TRUNK_HOST },
        auth: { state: 'valid', credential_uuid: 'demo-secure-credential' },
      },
      expected: { allow: 'auth.acl-or-digest' },
    },
    {
      name: 'ACL and credentials, both required: outside the ACL is 403 + 4180 even with credentials',
      attempt: {
        sdp: SAVP,
        source: outside,
        requestUri: { host: SECURE_TRUNK_HOST },
        auth: { state: 'valid', credential_uuid: 'demo-secure-credential' },
      },
      settings: { aclAndCredentials: 'both' },
      expected: UNAUTHORIZED,
    },
    {
      name: 'ACL and credentials, both required: inside the ACL with credentials passes',
      attempt: {
        sdp: SAVP,
        requestUri: { host: SECURE_TRUNK_HOST },
        auth: { state: 'valid', credential_uuid: 'demo-secure-credential' },
      },
      settings: { aclAndCredentials: 'both' },
      expected: { allow: 'auth.acl-or-digest' },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });

  it('challenges the first INVITE on a credential trunk with 407 (realm = trunk domain, qop=auth, MD5)', () => {
    const decision = evaluate(invite({ requestUri: { host: CREDENTIAL_TRUNK_HOST } }), demo, idleCounters());
    expect(decision).toMatchObject({
      kind: 'challenge',
      status: 407,
      reasonPhrase: 'Proxy Authentication Required',
      challenge: {
        header: 'Proxy-Authenticate',
        realm: CREDENTIAL_TRUNK_HOST,
        qop: 'auth',
        algorithms: ['MD5'],
      },
      ruleId: 'auth.acl-or-digest',
      section: '§4.2 #5–6, §20',
      grade: 'O',
      responseGrade: 'O',
      headers: [],
    });
    expect(decision.trace.at(-1)?.outcome).toBe('fail');
  });

  it('challenges with 401 WWW-Authenticate and offers SHA-256 when so configured', () => {
    const settings = policySettings({ authChallenge: '401', digestSha256: true });
    const decision = evaluate(
      invite({ requestUri: { host: CREDENTIAL_TRUNK_HOST } }),
      demo,
      idleCounters(),
      settings,
    );
    expect(decision).toMatchObject({
      kind: 'challenge',
      status: 401,
      reasonPhrase: 'Unauthorized',
      challenge: { header: 'WWW-Authenticate', algorithms: ['SHA-256', 'MD5'] },
      responseGrade: 'I',
    });
  });

  it('challenges on an ACL-and-credentials trunk when the source is outside the ACL', () => {
    const decision = evaluate(
      invite({ source: outside, sdp: SAVP, requestUri: { host: SECURE_TRUNK_HOST } }),
      demo,
      idleCounters(),
    );
    expect(decision).toMatchObject({ kind: 'challenge', status: 407 });
  });

  it('challenges inside the ACL when both are required', () => {
    const decision = evaluate(
      invite({ sdp: SAVP, requestUri: { host: SECURE_TRUNK_HOST } }),
      demo,
      idleCounters(),
      policySettings({ aclAndCredentials: 'both' }),
    );
    expect(decision).toMatchObject({ kind: 'challenge', status: 407 });
  });
});
