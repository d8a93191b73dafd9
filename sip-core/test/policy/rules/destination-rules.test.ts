import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/policy/engine/evaluate.js';
import { accountWith, demo, hangupHeaders, idleCounters, invite } from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

const PREFIX_NOT_SUPPORTED = {
  status: 404,
  reasonPhrase: 'Prefix Not Supported',
  code: 4100,
  causeName: 'prefix_not_supported',
  source: 'zentrunk',
  ruleId: 'destination.format',
  headers: hangupHeaders(4100, 404, 'prefix_not_supported'),
};
const DESTINATION_INVALID = {
  status: 484,
  reasonPhrase: 'Address Incomplete',
  code: 4120,
  causeName: 'destination_invalid',
  ruleId: 'destination.format',
};
const BARRED_COUNTRY = {
  status: 403,
  reasonPhrase: 'Barred Country',
  code: 4560,
  causeName: 'destination_country_barred',
  source: 'zentrunk',
  ruleId: 'destination.geo',
  headers: hangupHeaders(4560, 403, 'destination_country_barred'),
};
const BARRED_NUMBER = {
  status: 403,
  reasonPhrase: 'Barred Number',
  code: 4570,
  causeName: 'barred_number',
  ruleId: 'destination.premium',
  headers: hangupHeaders(4570, 403, 'barred_number'),
};
const ANCHORING = {
  status: 403,
  reasonPhrase: 'Forbidden',
  code: 4590,
  causeName: 'domestic_anchored_terms_not_met',
  ruleId: 'destination.india-anchoring',
};

const to = (user: string | null) => ({ requestUri: { user } });

describe('destination rules (§4.1, §4.2 #15–18, §12.4, §20)', () => {
  const rows: PolicyRow[] = [
    { name: '+E.164 passes', attempt: to('+14155550111'), expected: { allow: 'destination.format' } },
    {
      name: '1NXXNXXXXXX (11-digit NANP) passes',
      attempt: to('14155550111'),
      expected: { allow: 'destination.format' },
    },
    {
      name: '00-prefixed international passes',
      attempt: to('00442079460123'),
      expected: { allow: 'destination.format' },
    },
    {
      name: 'visual separators are ignored',
      attempt: to('+1-415-555-0111'),
      expected: { allow: 'destination.format' },
    },
    {
      name: 'a user parameter is ignored',
      attempt: to('+14155550111;npdi'),
      expected: { allow: 'destination.format' },
    },
    {
      name: 'a national number without country code is 404 + 4100',
      attempt: to('4155550111'),
      expected: PREFIX_NOT_SUPPORTED,
    },
    {
      name: 'a UK national number is 404 + 4100',
      attempt: to('02079460123'),
      expected: PREFIX_NOT_SUPPORTED,
    },
    {
      name: 'an unknown country code is 404 + 4100',
      attempt: to('+999123456789'),
      expected: PREFIX_NOT_SUPPORTED,
    },
    { name: 'no user part is 404 + 4100', attempt: to(null), expected: PREFIX_NOT_SUPPORTED },
    { name: 'letters are 484 + 4120', attempt: to('alice'), expected: DESTINATION_INVALID },
    { name: 'an impossible length is 484 + 4120', attempt: to('+1415'), expected: DESTINATION_INVALID },
    {
      name: 'a tel: Request-URI is 416 + 4230',
      attempt: { requestUri: { scheme: 'tel' } },
      expected: {
        status: 416,
        reasonPhrase: 'Unsupported URI Scheme',
        code: 4230,
        ruleId: 'destination.format',
      },
    },
    {
      name: 'a barred country is 403 Barred Country + 4560 destination_country_barred',
      attempt: to('+5372345678'),
      expected: BARRED_COUNTRY,
    },
    {
      name: 'the geo-page variant: 4650',
      attempt: to('+5372345678'),
      settings: { geoBlockCode: 4650 },
      expected: {
        ...BARRED_COUNTRY,
        code: 4650,
        headers: hangupHeaders(4650, 403, 'destination_country_barred'),
      },
    },
    {
      name: 'the hangup-table name variant: barred_country',
      attempt: to('+5372345678'),
      settings: { geoBlockCauseName: 'barred_country' },
      expected: {
        ...BARRED_COUNTRY,
        causeName: 'barred_country',
        headers: hangupHeaders(4560, 403, 'barred_country'),
      },
    },
    {
      name: 'an allow-list of countries bars every other country',
      account: accountWith((c) => ({
        ...c,
        permissions: { ...c.permissions, geo: { allowed_countries: ['US'] } },
      })),
      attempt: to('+442079460123'),
      expected: BARRED_COUNTRY,
    },
    {
      name: 'an enabled country passes',
      attempt: to('+442079460123'),
      expected: { allow: 'destination.geo' },
    },
    {
      name: 'a US premium-rate number is 403 Barred Number + 4570',
      attempt: to('+19005550100'),
      expected: BARRED_NUMBER,
    },
    { name: 'a UK premium-rate number is 4570', attempt: to('+448712345678'), expected: BARRED_NUMBER },
    { name: 'an Australian 1900 number is 4570', attempt: to('+611900123456'), expected: BARRED_NUMBER },
    { name: 'a high-risk prefix is 4570', attempt: to('+88234567890'), expected: BARRED_NUMBER },
    {
      name: 'toll-free numbers are not premium',
      attempt: to('+18005550100'),
      expected: { allow: 'destination.premium' },
    },
    {
      name: 'a premium number approved by support passes',
      account: accountWith((c) => ({
        ...c,
        permissions: { ...c.permissions, premium_allow_list: ['+1900555'] },
      })),
      attempt: to('+19005550100'),
      expected: { allow: 'destination.premium' },
    },
    {
      name: 'premium blocking off lets premium numbers through',
      attempt: to('+19005550100'),
      settings: { premiumBlocking: 'off' },
      expected: { allow: 'destination.premium', outcome: 'skipped' },
    },
    {
      name: 'India with an Indian caller ID on a compliant account passes',
      attempt: { fromUser: '+919810012345', ...to('+919810012346') },
      expected: { allow: 'destination.india-anchoring' },
    },
    { name: 'India with a US caller ID is 403 + 4590', attempt: to('+919810012346'), expected: ANCHORING },
    {
      name: 'India from an account that does not meet the terms is 403 + 4590',
      account: accountWith((c) => ({
        ...c,
        permissions: { ...c.permissions, india_anchoring: { compliant: false } },
      })),
      attempt: { fromUser: '+919810012345', ...to('+919810012346') },
      expected: ANCHORING,
    },
    {
      name: 'the India rule skips other countries',
      expected: { allow: 'destination.india-anchoring', outcome: 'skipped' },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });

  it('describes the destination on the allow decision', () => {
    const decision = evaluate(invite(to('+442079460123')), demo, idleCounters());
    expect(decision.kind === 'allow' && decision.destination).toMatchObject({
      country: 'GB',
      type: 'fixed-line',
    });
  });
});
