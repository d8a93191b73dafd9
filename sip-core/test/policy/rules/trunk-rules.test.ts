import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/engine/evaluate.js';
import {
  ACL_TRUNK_HOST,
  DEMO_TRUNK_IDS,
  SECURE_TRUNK_HOST,
  accountWith,
  demo,
  hangupHeaders,
  idleCounters,
  invite,
} from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

const SAVP_OFFER = {
  profile: 'RTP/SAVP',
  payloadTypes: [0, 101],
  codecs: ['PCMU', 'telephone-event'],
  cryptoSuites: ['AES_CM_128_HMAC_SHA1_80'],
  telephoneEvent: true,
};

const disabledAclTrunk = accountWith((config) => ({
  ...config,
  trunks: config.trunks?.map((t) =>
    t.trunk_id === DEMO_TRUNK_IDS.ipAcl ? { ...t, trunk_status: 'disabled' } : t,
  ),
}));

describe('trunk rules (§2.3, §4.2 #2–4, §20)', () => {
  const rows: PolicyRow[] = [
    {
      name: 'an unknown trunk domain is 404 + 4070 trunk_not_found',
      attempt: { requestUri: { host: '99999999999999.zt.plivo.com' } },
      expected: {
        status: 404,
        reasonPhrase: 'Not Found',
        code: 4070,
        causeName: 'trunk_not_found',
        source: 'zentrunk',
        ruleId: 'trunk.lookup',
        headers: hangupHeaders(4070, 404, 'trunk_not_found'),
      },
    },
    {
      name: 'a bare IP as Request-URI host is not a trunk domain',
      attempt: { requestUri: { host: '127.0.0.1' } },
      expected: { status: 404, reasonPhrase: 'Not Found', code: 4070, ruleId: 'trunk.lookup' },
    },
    {
      name: 'a region-qualified trunk domain finds the trunk',
      attempt: { requestUri: { host: `${DEMO_TRUNK_IDS.ipAcl}.ap-south-1.zt.plivo.com` } },
      expected: { allow: 'trunk.lookup' },
    },
    {
      name: 'trunk domains are case-insensitive and may end in a dot',
      attempt: { requestUri: { host: `${ACL_TRUNK_HOST.toUpperCase()}.` } },
      expected: { allow: 'trunk.lookup' },
    },
    {
      name: 'the configured suffix replaces zt.plivo.com',
      attempt: { requestUri: { host: `${DEMO_TRUNK_IDS.ipAcl}.zt.trunkline.test` } },
      settings: { trunkDomainSuffix: 'zt.trunkline.test' },
      expected: { allow: 'trunk.lookup' },
    },
    {
      name: 'with another suffix configured, zt.plivo.com names no trunk',
      settings: { trunkDomainSuffix: 'zt.trunkline.test' },
      expected: { status: 404, reasonPhrase: 'Not Found', code: 4070, ruleId: 'trunk.lookup' },
    },
    {
      name: 'a disabled trunk is 403 + 4540 (§20)',
      account: disabledAclTrunk,
      expected: {
        status: 403,
        reasonPhrase: 'Forbidden',
        code: 4540,
        causeName: 'forbidden',
        source: 'zentrunk',
        ruleId: 'trunk.enabled-outbound',
      },
    },
    {
      name: 'an inbound trunk’s domain takes no outbound calls: 403 + 4540',
      attempt: { requestUri: { host: `${DEMO_TRUNK_IDS.inbound}.zt.plivo.com` } },
      expected: { status: 403, reasonPhrase: 'Forbidden', code: 4540, ruleId: 'trunk.enabled-outbound' },
    },
    {
      name: 'TLS to a trunk without secure trunking is 488 + 4110 (default)',
      attempt: { transport: 'tls' },
      expected: {
        status: 488,
        reasonPhrase: 'Not Acceptable Here',
        code: 4110,
        causeName: 'secure_trunking_disabled',
        ruleId: 'trunk.secure-transport',
        headers: hangupHeaders(4110, 488, 'secure_trunking_disabled'),
      },
    },
    {
      name: 'TLS to a trunk without secure trunking is 403 + 4110 with the 403 setting',
      attempt: { transport: 'tls' },
      settings: { insecureTrunkResponse: '403' },
      expected: { status: 403, reasonPhrase: 'Forbidden', code: 4110, ruleId: 'trunk.secure-transport' },
    },
    {
      name: 'an SRTP offer to a trunk without secure trunking is 488 + 4110',
      attempt: { sdp: SAVP_OFFER },
      expected: {
        status: 488,
        reasonPhrase: 'Not Acceptable Here',
        code: 4110,
        ruleId: 'trunk.secure-transport',
      },
    },
    {
      name: 'a plain RTP offer to a secure trunk is 488 + 4110 (default)',
      attempt: { transport: 'tls', requestUri: { host: SECURE_TRUNK_HOST } },
      expected: {
        status: 488,
        reasonPhrase: 'Not Acceptable Here',
        code: 4110,
        ruleId: 'trunk.secure-transport',
      },
    },
    {
      name: 'a secure trunk takes SRTP over UDP signalling (§2.3)',
      attempt: { transport: 'udp', sdp: SAVP_OFFER, requestUri: { host: SECURE_TRUNK_HOST } },
      expected: { allow: 'trunk.secure-transport' },
    },
    {
      name: 'a secure trunk takes TLS with SRTP',
      attempt: { transport: 'tls', sdp: SAVP_OFFER, requestUri: { host: SECURE_TRUNK_HOST } },
      expected: { allow: 'trunk.secure-transport' },
    },
    {
      name: 'a secure trunk accepts AES_CM_128_HMAC_SHA1_32 too',
      attempt: {
        sdp: { ...SAVP_OFFER, cryptoSuites: ['AES_CM_128_HMAC_SHA1_32'] },
        requestUri: { host: SECURE_TRUNK_HOST },
      },
      expected: { allow: 'trunk.secure-transport' },
    },
    {
      name: 'a secure trunk refuses SRTP with no accepted SDES suite: 488 + 4430',
      attempt: {
        sdp: { ...SAVP_OFFER, cryptoSuites: ['AES_256_CM_HMAC_SHA1_80'] },
        requestUri: { host: SECURE_TRUNK_HOST },
      },
      expected: {
        status: 488,
        reasonPhrase: 'Not Acceptable Here',
        code: 4430,
        causeName: 'sdp_not_acceptable_here',
        ruleId: 'trunk.secure-transport',
      },
    },
    {
      name: 'a secure trunk refuses RTP/SAVP without a=crypto (DTLS-SRTP): 488 + 4430',
      attempt: { sdp: { ...SAVP_OFFER, cryptoSuites: [] }, requestUri: { host: SECURE_TRUNK_HOST } },
      expected: {
        status: 488,
        reasonPhrase: 'Not Acceptable Here',
        code: 4430,
        ruleId: 'trunk.secure-transport',
      },
    },
    {
      name: 'a Request-URI host with a port still finds the trunk',
      attempt: { requestUri: { host: `${ACL_TRUNK_HOST}:5060` } },
      expected: { allow: 'trunk.lookup' },
    },
    {
      name: 'a secure trunk cannot check a late offer',
      attempt: { transport: 'tls', sdp: null, requestUri: { host: SECURE_TRUNK_HOST } },
      expected: { allow: 'trunk.secure-transport', outcome: 'skipped' },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });

  it('accepts a plain offer on a secure trunk without media when so configured', () => {
    const decision = runRow({
      name: 'no-media',
      attempt: { transport: 'tls', requestUri: { host: SECURE_TRUNK_HOST } },
      settings: { secureTrunkPlainRtp: 'accept-no-media' },
      expected: { allow: 'trunk.secure-transport' },
    });
    expect(decision.kind === 'allow' && decision.media).toBe('no-media');
    expect(evaluate(invite(), demo, idleCounters())).toMatchObject({ kind: 'allow', media: 'normal' });
  });
});
