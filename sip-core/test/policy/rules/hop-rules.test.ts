import { describe, it } from 'vitest';
import { hangupHeaders } from '../../support/policy-fixtures.js';
import { runRow, type PolicyRow } from '../../support/policy-table.js';

describe('hop and loop rules (§4.2 #21–22)', () => {
  const rows: PolicyRow[] = [
    {
      name: 'Max-Forwards 0 is 483 + 4380',
      attempt: { maxForwards: 0 },
      expected: {
        status: 483,
        reasonPhrase: 'Too Many Hops',
        code: 4380,
        causeName: 'too_many_hops',
        ruleId: 'hops.max-forwards',
        headers: hangupHeaders(4380, 483, 'too_many_hops'),
      },
    },
    { name: 'Max-Forwards 1 passes', attempt: { maxForwards: 1 }, expected: { allow: 'hops.max-forwards' } },
    {
      name: 'a missing Max-Forwards passes',
      attempt: { maxForwards: null },
      expected: { allow: 'hops.max-forwards' },
    },
    {
      name: 'a loop is 482 + 4370',
      attempt: { loopDetected: true },
      expected: {
        status: 482,
        reasonPhrase: 'Loop Detected',
        code: 4370,
        causeName: 'loop_detected',
        source: 'zentrunk',
        ruleId: 'hops.loop',
        headers: hangupHeaders(4370, 482, 'loop_detected'),
      },
    },
  ];

  it.each(rows)('$name', (row) => {
    runRow(row);
  });
});
