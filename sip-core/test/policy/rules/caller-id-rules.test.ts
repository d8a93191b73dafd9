import { describe, it } from 'vitest';
import { accountWith, hangupHeaders } from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

const forbidden = (code: number, causeName: string, ruleId: string) => ({
  status: 403,
  reasonPhrase: 'Forbidden',
  code,
  causeName,
  source: 'zentrunk',
  ruleId,
  headers: hangupHeaders(code, 403, causeName),
});

const owning = (...numbers: string[]) =>
  accountWith((c) => ({ ...c, numbers: [...(c.numbers ?? []), ...numbers.map((number) => ({ number }))] }));

describe('caller-ID rules in the §20 order (§4.2 #10–14, §12.4)', () => {
  const rows: PolicyRow[] = [
    {
      name: 'a non-numeric caller ID is 4130',
      attempt: { fromUser: 'anonymous' },
      expected: forbidden(4130, 'incorrect_callerid_non_numeric', 'caller-id.numeric'),
    },
    {
      name: 'no caller ID at all is 4130',
      attempt: { fromUser: null },
      expected: forbidden(4130, 'incorrect_callerid_non_numeric', 'caller-id.numeric'),
    },
    {
      name: 'a caller ID shorter than 6 digits is 4140',
      attempt: { fromUser: '12345' },
      expected: forbidden(4140, 'incorrect_callerid_too_short', 'caller-id.length'),
    },
    {
      name: 'a caller ID that is not a Plivo number of the account is 4190',
      attempt: { fromUser: '+14155559999' },
      expected: forbidden(4190, 'unknown_caller_id', 'caller-id.owned'),
    },
    {
      name: 'an extension number of 6+ digits without country code is 4190',
      attempt: { fromUser: '5550101' },
      expected: forbidden(4190, 'unknown_caller_id', 'caller-id.owned'),
    },
    {
      name: 'an owned caller ID written 1NXXNXXXXXX is recognised',
      attempt: { fromUser: '14155550101' },
      expected: { allow: 'caller-id.owned' },
    },
    {
      name: 'P-Asserted-Identity is preferred over From (default)',
      attempt: { fromUser: 'anonymous', paiUser: '+14155550101' },
      expected: { allow: 'caller-id.owned' },
    },
    {
      name: 'with the From-only setting, P-Asserted-Identity is ignored',
      attempt: { fromUser: 'anonymous', paiUser: '+14155550101' },
      settings: { callerIdSource: 'from-only' },
      expected: forbidden(4130, 'incorrect_callerid_non_numeric', 'caller-id.numeric'),
    },
    {
      name: 'a caller ID on the Do-Not-Originate list is 4200',
      attempt: { fromUser: '+14155550102' },
      expected: forbidden(4200, 'dno_caller_id', 'caller-id.dno'),
    },
    ...['+611300123456', '+611800123456', '+611900123456', '+61131234'].map((cli): PolicyRow => ({
      name: `the Australian CLI ${cli} is blocked with 4190`,
      account: owning(cli),
      attempt: { fromUser: cli },
      expected: forbidden(4190, 'unknown_caller_id', 'caller-id.country-rules'),
    })),
    {
      name: 'an ordinary Australian caller ID passes the CLI rule',
      attempt: { fromUser: '+61255501234' },
      expected: { allow: 'caller-id.country-rules' },
    },
    {
      name: 'a Chinese caller ID to China is 4190',
      account: owning('+8613800138000'),
      attempt: { fromUser: '+8613800138000', requestUri: { user: '+8613900139000' } },
      expected: forbidden(4190, 'unknown_caller_id', 'caller-id.country-rules'),
    },
    {
      name: 'a toll-free caller ID to China is 4190',
      account: owning('+18005550100'),
      attempt: { fromUser: '+18005550100', requestUri: { user: '+8613900139000' } },
      expected: forbidden(4190, 'unknown_caller_id', 'caller-id.country-rules'),
    },
    {
      name: 'a Chinese caller ID to the US is allowed',
      account: owning('+8613800138000'),
      attempt: { fromUser: '+8613800138000' },
      expected: { allow: 'caller-id.country-rules' },
    },
    {
      name: 'a US caller ID to China is allowed',
      attempt: { requestUri: { user: '+8613900139000' } },
      expected: { allow: 'caller-id.country-rules' },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });
});
