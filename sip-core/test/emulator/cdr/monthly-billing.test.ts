import { describe, expect, it } from 'vitest';
import { buildCdr, monthlyBilling } from '../../../src/emulator/cdr/index.js';
import { useStores } from '../../support/store-fixtures.js';
import { answeredFacts, at, context } from './cdr-fixtures.js';

describe('monthlyBilling', () => {
  const openStore = useStores();

  it('sums a month per country and adds the §12.5 surcharges, India left out of the thresholds', () => {
    const store = openStore();
    let n = 0;
    const call = (to: string, answeredS: number | undefined) => {
      const times =
        answeredS === undefined
          ? { initiated: at(0), ended: at(5_000) }
          : { initiated: at(0), answered: at(1_000), ended: at(1_000 + answeredS * 1_000) };
      store.recordCallEnd(buildCdr(answeredFacts({ callUuid: `c${++n}`, to, times }), context));
    };
    // US: 10 calls, 4 abandoned (2 over the 20 % allowance), 3 short (1 over); India: 3 abandoned, not counted.
    for (const s of [undefined, undefined, undefined, undefined, 3, 5, 6, 60, 120, 180])
      call('+14155550111', s);
    for (const s of [undefined, undefined, undefined]) call('+919876543210', s);

    const bill = monthlyBilling(store, { month: '2024-01' });
    expect(bill.countries.map((c) => [c.to_country, c.calls, c.abandoned_calls, c.short_calls])).toEqual(
      expect.arrayContaining([
        ['US', 10, 4, 3],
        ['IN', 3, 3, 0],
      ]),
    );
    expect(bill.totals).toEqual({
      calls: 13,
      bill_duration_s: 374,
      billed_duration_s: 374,
      // 374 s at USD 0.005 / min.
      total_amount: '0.03117',
    });
    expect(bill.surcharges).toMatchObject({
      month: '2024-01',
      countedCalls: 10,
      abandoned: { count: 4, allowed: 2, excess: 2, amount_usd: '0.01000' },
      short: { count: 3, allowed: 2, excess: 1, amount_usd: '0.00250' },
      total_usd: '0.01250',
    });
    expect(bill.amount_due).toBe('0.04367');
    expect(monthlyBilling(store, { month: '2024-02' }).totals.calls).toBe(0);
  });
});
