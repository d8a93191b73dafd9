// The monthly billing summary for the CLI and the UI: the store aggregates a calendar month's CDRs per
// destination country in SQL (one indexed range scan, whatever the volume), and policy applies the §12.5
// short-duration surcharges to the counts (20 % thresholds, India left out).

import {
  DEFAULT_SURCHARGE_PARAMETERS,
  surchargesFromCounts,
  type MonthlySummary,
  type SurchargeParameters,
} from '../../policy/index.js';
import type { BillingCountryRow, BillingSummaryOptions, TrunklineStore } from '../../store/index.js';

export interface MonthlyBilling {
  readonly month: string;
  /** Per destination country (null: unknown), as the store counted them. */
  readonly countries: readonly BillingCountryRow[];
  readonly totals: {
    readonly calls: number;
    readonly bill_duration_s: number;
    readonly billed_duration_s: number;
    /** Call charges, before surcharges. */
    readonly total_amount: string;
  };
  readonly surcharges: MonthlySummary;
  /** Call charges plus surcharges. */
  readonly amount_due: string;
}

export function monthlyBilling(
  store: Pick<TrunklineStore, 'billingSummary'>,
  options: Omit<BillingSummaryOptions, 'shortMaxS'>,
  parameters: SurchargeParameters = DEFAULT_SURCHARGE_PARAMETERS,
): MonthlyBilling {
  const countries = store.billingSummary({ ...options, shortMaxS: parameters.shortMaxS });
  const counted = countries.filter((row) => !parameters.excludedCountries.includes(row.to_country ?? ''));
  const sum = (rows: readonly BillingCountryRow[], pick: (row: BillingCountryRow) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
  const surcharges = surchargesFromCounts(
    {
      month: options.month,
      totalCalls: sum(countries, (r) => r.calls),
      countedCalls: sum(counted, (r) => r.calls),
      abandonedCalls: sum(counted, (r) => r.abandoned_calls),
      shortCalls: sum(counted, (r) => r.short_calls),
    },
    parameters,
  );
  const chargesE5 = sum(countries, (r) => usdAmountToE5(r.total_amount));
  return {
    month: options.month,
    countries,
    totals: {
      calls: surcharges.totalCalls,
      bill_duration_s: sum(countries, (r) => r.bill_duration_s),
      billed_duration_s: sum(countries, (r) => r.billed_duration_s),
      total_amount: formatE5(chargesE5),
    },
    surcharges,
    amount_due: formatE5(chargesE5 + usdAmountToE5(surcharges.total_usd)),
  };
}

/** A CDR money string (`"0.01500"`, five decimals) in integer units of 1e-5 USD, so sums stay exact. */
function usdAmountToE5(amount: string): number {
  const match = /^(\d+)\.(\d{5})$/.exec(amount);
  return match ? Number(match[1]) * 100_000 + Number(match[2]) : 0;
}

function formatE5(e5: number): string {
  return `${Math.floor(e5 / 100_000)}.${String(e5 % 100_000).padStart(5, '0')}`;
}
