import { describe, expect, it } from 'vitest';
import { monthlySurcharges } from '../../src/policy/billing/monthly-surcharges.js';
import type { BillingCountryRow } from '../../src/store/billing-summary.js';
import type { NewCallDetailRecord } from '../../src/store/call-detail-record.js';
import { documentedCdr } from '../support/cdr-factory.js';
import { useStores } from '../support/store-fixtures.js';
import { expectErrorCode } from '../support/expect-error-code.js';

let serial = 0;
function call(
  end: string,
  to_country: string | null,
  bill_duration: number,
  amount: string,
  extra: Partial<NewCallDetailRecord> = {},
) {
  serial += 1;
  return documentedCdr({
    call_uuid: `bill-${serial}`,
    initiation_time: `${end.slice(0, 11)}00:00:00`,
    answer_time: null,
    end_time: end,
    to_country,
    bill_duration,
    billed_duration: bill_duration,
    call_duration: bill_duration,
    total_amount: amount,
    ...extra,
  });
}

describe('monthly billing summary', () => {
  const openStore = useStores();

  it('counts abandoned and short calls per destination country within the calendar month', () => {
    const store = openStore();
    const calls = [
      call('2024-01-31 23:59:59', 'US', 0, '0.00000'),
      call('2024-02-01 00:00:00', 'US', 0, '0.00000'),
      call('2024-02-10 10:00:00', 'US', 6, '0.00050'),
      call('2024-02-10 10:00:01', 'US', 7, '0.00059'),
      call('2024-02-11 10:00:00', 'US', 180, '0.01500'),
      call('2024-02-12 10:00:00', 'IN', 0, '0.00000'),
      call('2024-02-12 10:00:01', 'IN', 60, '0.01234'),
      call('2024-02-13 10:00:00', null, 1, '0.00001'),
      call('2024-02-29 23:59:59', 'GB', 3, '0.00100', { call_direction: 'inbound' }),
      call('2024-03-01 00:00:00', 'GB', 0, '0.00000'),
    ];
    for (const c of calls) store.recordCallEnd(c);
    const rows = store.billingSummary({ month: '2024-02' });
    expect(rows).toEqual<BillingCountryRow[]>([
      {
        to_country: null,
        calls: 1,
        abandoned_calls: 0,
        short_calls: 1,
        bill_duration_s: 1,
        billed_duration_s: 1,
        total_amount: '0.00001',
      },
      {
        to_country: 'GB',
        calls: 1,
        abandoned_calls: 0,
        short_calls: 1,
        bill_duration_s: 3,
        billed_duration_s: 3,
        total_amount: '0.00100',
      },
      {
        to_country: 'IN',
        calls: 2,
        abandoned_calls: 1,
        short_calls: 0,
        bill_duration_s: 60,
        billed_duration_s: 60,
        total_amount: '0.01234',
      },
      {
        to_country: 'US',
        calls: 4,
        abandoned_calls: 1,
        short_calls: 1,
        bill_duration_s: 193,
        billed_duration_s: 193,
        total_amount: '0.01609',
      },
    ]);
    expect(
      store.billingSummary({ month: '2024-02', call_direction: 'inbound' }).map((r) => r.to_country),
    ).toEqual(['GB']);
    expect(
      store.billingSummary({ month: '2024-02', shortMaxS: 7 }).find((r) => r.to_country === 'US')
        ?.short_calls,
    ).toBe(2);
    expect(store.billingSummary({ month: '2024-04' })).toEqual([]);
  });

  it("gives policy's monthlySurcharges the same counts as the per-call computation", () => {
    const store = openStore();
    const calls: NewCallDetailRecord[] = [];
    for (let i = 0; i < 500; i += 1) {
      const s = i % 9 === 0 ? 0 : i % 5 === 0 ? 1 + (i % 6) : 30 + i;
      const country = ['US', 'IN', 'GB', 'FR'][i % 4];
      calls.push(call(`2024-05-${String(1 + (i % 28)).padStart(2, '0')} 12:00:00`, country, s, '0.00100'));
    }
    for (const c of calls) store.recordCallEnd(c);
    const perCall = monthlySurcharges(
      calls.map((c) => ({ to_country: c.to_country!, bill_duration: c.bill_duration, end_time: c.end_time })),
    )[0];
    const rows = store.billingSummary({ month: '2024-05' });
    const counted = rows.filter((r) => r.to_country !== 'IN');
    const sum = (pick: (r: BillingCountryRow) => number): number => counted.reduce((n, r) => n + pick(r), 0);
    expect(sum((r) => r.calls)).toBe(perCall.countedCalls);
    expect(sum((r) => r.abandoned_calls)).toBe(perCall.abandoned.count);
    expect(sum((r) => r.short_calls)).toBe(perCall.short.count);
    expect(rows.reduce((n, r) => n + r.calls, 0)).toBe(perCall.totalCalls);
    expect(perCall.abandoned.excess + perCall.short.excess).toBeGreaterThanOrEqual(0);
    expect(rows.find((r) => r.to_country === 'US')?.total_amount).toBe('0.12500');
  });

  it('refuses a month that is not YYYY-MM, and a negative short-call bound', () => {
    const store = openStore();
    for (const month of ['2024-13', '2024-1', 'May 2024']) {
      expectErrorCode(() => store.billingSummary({ month }), 'STORE_INVALID_FILTER');
    }
    expectErrorCode(() => store.billingSummary({ month: '2024-01', shortMaxS: -1 }), 'STORE_INVALID_FILTER');
  });
});
