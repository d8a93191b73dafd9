import { describe, expect, it } from 'vitest';
import { formatUsd, usdToUnits } from '../../../src/policy/billing/money.js';
import {
  monthlySurcharges,
  surchargesFromCounts,
  type CallForSurcharge,
} from '../../../src/policy/billing/monthly-surcharges.js';
import { billedSeconds, rateCall } from '../../../src/policy/billing/rate-call.js';
import { demo } from '../../support/policy-fixtures.js';

const call = (toCountry: string, durationS: number, extra: Partial<Parameters<typeof rateCall>[0]> = {}) =>
  rateCall(
    {
      fromCountry: 'US',
      toCountry,
      toNumberType: 'fixed-line-or-mobile',
      durationS,
      secureTrunking: false,
      ...extra,
    },
    demo.rates,
  );

describe('rating calls (§12.5, §14.6, §20)', () => {
  it('reproduces the documented CDR: 180 s to the US at 0.005/min = 0.01500', () => {
    expect(call('US', 180)).toMatchObject({
      bill_duration: 180,
      billed_duration: 180,
      total_rate: '0.00500',
      total_amount: '0.01500',
      secure_trunking_rate: '0.00000',
    });
  });

  it.each([
    // country, duration, billed seconds (per-second US, 60/60 India, 1/1 elsewhere)
    ['US', 0, 0],
    ['US', 1, 1],
    ['US', 61, 61],
    ['IN', 1, 60],
    ['IN', 60, 60],
    ['IN', 61, 120],
    ['GB', 7, 7],
    ['AU', 59, 59],
  ])('%s, %i s → %i s billed', (country, duration, billed) => {
    expect(call(country, duration).billed_duration).toBe(billed);
  });

  it.each([
    [0, 6, 6, 0],
    [1, 6, 6, 6],
    [7, 6, 6, 12],
    [30, 30, 6, 30],
    [31, 30, 6, 36],
    [61, 60, 1, 61],
  ])('increments: %i s at %i/%i → %i s', (duration, initial, subsequent, billed) => {
    expect(billedSeconds(duration, initial, subsequent)).toBe(billed);
  });

  it('rates by origin, destination and number type, the most specific row winning', () => {
    expect(call('GB', 60).total_rate).toBe('0.01200');
    expect(call('GB', 60, { toNumberType: 'mobile' }).total_rate).toBe('0.02500');
    expect(call('GB', 60, { fromCountry: 'GB' }).total_rate).toBe('0.00800');
    expect(call('US', 60, { toNumberType: 'toll-free' }).total_rate).toBe('0.00200');
    expect(call('FR', 60)).toMatchObject({ total_rate: '0.01000', rateRow: undefined });
  });

  it('adds the secure-trunking rate', () => {
    expect(call('US', 120, { secureTrunking: true })).toMatchObject({
      total_rate: '0.00650',
      total_amount: '0.01300',
      secure_trunking_rate: '0.00150',
    });
  });

  it('rounds half up to five decimals without float error', () => {
    expect(call('US', 7).total_amount).toBe('0.00058'); // 0.005 × 7/60 = 0.000583…
    expect(call('IN', 61).total_amount).toBe('0.09000');
    expect(formatUsd(usdToUnits(0.000005))).toBe('0.00001');
    expect(formatUsd(usdToUnits(0.0000049))).toBe('0.00000');
    expect(formatUsd(usdToUnits(12.3456789))).toBe('12.34568');
  });

  it('rounds a fractional duration up to whole seconds', () => {
    expect(call('US', 1.2)).toMatchObject({ bill_duration: 2, billed_duration: 2 });
  });
});

describe('monthly short-call surcharges (§12.5)', () => {
  const month = (to: string, durations: number[], endTime = '2026-01-15 10:00:00'): CallForSurcharge[] =>
    durations.map((bill_duration) => ({ to_country: to, bill_duration, end_time: endTime }));

  it('charges 0.005 per abandoned call beyond 20 % and 0.0025 per short call beyond 20 %', () => {
    // 10 calls: 4 abandoned (allowed 2 → 2 excess), 3 short (allowed 2 → 1 excess), 3 normal.
    const [summary] = monthlySurcharges(month('US', [0, 0, 0, 0, 3, 5, 6, 7, 60, 120]));
    expect(summary).toEqual({
      month: '2026-01',
      totalCalls: 10,
      countedCalls: 10,
      abandoned: { count: 4, allowed: 2, excess: 2, amount_usd: '0.01000' },
      short: { count: 3, allowed: 2, excess: 1, amount_usd: '0.00250' },
      total_usd: '0.01250',
    });
  });

  it('charges nothing at exactly 20 %', () => {
    const [summary] = monthlySurcharges(month('US', [0, 0, 5, 5, 60, 60, 60, 60, 60, 60]));
    expect(summary?.total_usd).toBe('0.00000');
    expect(summary?.abandoned.excess).toBe(0);
  });

  it('leaves India out of the volume and the counts', () => {
    const [summary] = monthlySurcharges([
      ...month('IN', [0, 0, 0, 0, 1, 1, 1]),
      ...month('US', [60, 60, 60]),
    ]);
    expect(summary).toMatchObject({ totalCalls: 10, countedCalls: 3, total_usd: '0.00000' });
  });

  it('summarises each calendar month on its own', () => {
    const summaries = monthlySurcharges([
      ...month('GB', [0, 0, 60], '2026-02-01 00:00:01'),
      ...month('GB', [60, 60, 60, 60, 0], '2026-01-31 23:59:59'),
    ]);
    expect(summaries.map((s) => [s.month, s.abandoned.count, s.abandoned.excess])).toEqual([
      ['2026-01', 1, 0],
      ['2026-02', 2, 2],
    ]);
  });

  it('gives the same summary from aggregated counts as from the calls themselves', () => {
    const calls = [...month('IN', [0, 0, 1]), ...month('US', [0, 0, 0, 0, 3, 5, 6, 7, 60, 120])];
    const [fromCalls] = monthlySurcharges(calls);
    const fromCounts = surchargesFromCounts({
      month: '2026-01',
      totalCalls: 13,
      countedCalls: 10,
      abandonedCalls: 4,
      shortCalls: 3,
    });
    expect(fromCounts).toEqual(fromCalls);
  });
});
