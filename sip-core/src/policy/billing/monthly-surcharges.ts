// Short-duration surcharges (BEHAVIOUR.md §12.5, §20; the FAQ's table): when more than 20 % of a calendar
// month's calls are abandoned (0 s), each call beyond 20 % costs USD 0.005; when more than 20 % are short
// (1–6 s), each call beyond 20 % costs USD 0.0025. Calls to India are left out of the volume and the counts.

import { formatUsd, usdToUnits } from './money.js';

/** The CDR fields the summary needs. */
export interface CallForSurcharge {
  readonly to_country: string;
  /** Answered seconds; 0 for an abandoned call. */
  readonly bill_duration: number;
  /** `YYYY-MM-DD HH:MM:SS` UTC, as CDRs write it. */
  readonly end_time: string;
}

export interface SurchargeParameters {
  readonly thresholdFraction: number;
  readonly abandonedSurchargeUsd: number;
  readonly shortSurchargeUsd: number;
  readonly shortMaxS: number;
  readonly excludedCountries: readonly string[];
}

export const DEFAULT_SURCHARGE_PARAMETERS: SurchargeParameters = {
  thresholdFraction: 0.2,
  abandonedSurchargeUsd: 0.005,
  shortSurchargeUsd: 0.0025,
  shortMaxS: 6,
  excludedCountries: ['IN'],
};

export interface SurchargeLine {
  readonly count: number;
  /** How many may be in this class before a surcharge applies (20 % of the volume, rounded down). */
  readonly allowed: number;
  readonly excess: number;
  readonly amount_usd: string;
}

export interface MonthlySummary {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly totalCalls: number;
  /** Calls that count towards the thresholds (all but India). */
  readonly countedCalls: number;
  readonly abandoned: SurchargeLine;
  readonly short: SurchargeLine;
  readonly total_usd: string;
}

/** Summaries per calendar month (by `end_time`), in month order. */
export function monthlySurcharges(
  calls: readonly CallForSurcharge[],
  parameters: SurchargeParameters = DEFAULT_SURCHARGE_PARAMETERS,
): MonthlySummary[] {
  const months = new Map<string, CallForSurcharge[]>();
  for (const call of calls) {
    const month = call.end_time.slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), call]);
  }
  return [...months.keys()].sort().map((month) => summarise(month, months.get(month) ?? [], parameters));
}

function summarise(
  month: string,
  calls: readonly CallForSurcharge[],
  p: SurchargeParameters,
): MonthlySummary {
  const counted = calls.filter((c) => !p.excludedCountries.includes(c.to_country));
  return surchargesFromCounts(
    {
      month,
      totalCalls: calls.length,
      countedCalls: counted.length,
      abandonedCalls: counted.filter((c) => c.bill_duration <= 0).length,
      shortCalls: counted.filter((c) => c.bill_duration > 0 && c.bill_duration <= p.shortMaxS).length,
    },
    p,
  );
}

/** A month's call counts, when they are already aggregated (the store counts in SQL). */
export interface MonthlyCallCounts {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly totalCalls: number;
  /** Calls outside `excludedCountries`: the volume the thresholds apply to. */
  readonly countedCalls: number;
  /** Counted calls with 0 billed seconds. */
  readonly abandonedCalls: number;
  /** Counted calls of 1 to `shortMaxS` seconds. */
  readonly shortCalls: number;
}

/** The surcharges of one month from its counts (the same arithmetic as `monthlySurcharges`). */
export function surchargesFromCounts(
  counts: MonthlyCallCounts,
  p: SurchargeParameters = DEFAULT_SURCHARGE_PARAMETERS,
): MonthlySummary {
  const allowed = Math.floor(counts.countedCalls * p.thresholdFraction);
  const line = (count: number, surchargeUsd: number): SurchargeLine & { units: number } => {
    const over = count > counts.countedCalls * p.thresholdFraction;
    const excess = over ? count - allowed : 0;
    const units = excess * usdToUnits(surchargeUsd);
    return { count, allowed, excess, amount_usd: formatUsd(units), units };
  };
  const { units: abandonedUnits, ...abandoned } = line(counts.abandonedCalls, p.abandonedSurchargeUsd);
  const { units: shortUnits, ...short } = line(counts.shortCalls, p.shortSurchargeUsd);
  return {
    month: counts.month,
    totalCalls: counts.totalCalls,
    countedCalls: counts.countedCalls,
    abandoned,
    short,
    total_usd: formatUsd(abandonedUnits + shortUnits),
  };
}
