// Rating one call leg (BEHAVIOUR.md §12.5, §14.6, §20): billing starts at answer; increments are per second for
// US routes, 60/60 for India, 1/1 elsewhere unless the rate table says otherwise; rates depend on origin
// country, destination country and number type; secure trunking adds its own per-minute rate.

import type { RateRow, Rates } from '../account/account-schema.js';
import type { NumberType } from '../numbers/number-intelligence.js';
import { formatUsd, usdToUnits } from './money.js';

export interface CallToRate {
  /** Country of the caller (origin-based pricing), when known. */
  readonly fromCountry: string | undefined;
  readonly toCountry: string;
  readonly toNumberType: NumberType | undefined;
  /** Seconds from answer to end (0 when never answered). */
  readonly durationS: number;
  readonly secureTrunking: boolean;
}

/** The CDR's billing fields, as Zentrunk writes them. */
export interface CallCharges {
  /** Seconds of the answered call. */
  readonly bill_duration: number;
  /** Seconds charged after rounding up to the increments. */
  readonly billed_duration: number;
  /** Per-minute rate applied, including the secure-trunking rate. */
  readonly total_rate: string;
  readonly total_amount: string;
  readonly secure_trunking_rate: string;
  /** The table row used, when one matched. */
  readonly rateRow: RateRow | undefined;
}

/** §20: default increments by destination country. */
export function defaultIncrements(toCountry: string): { initialS: number; subsequentS: number } {
  return toCountry === 'IN' ? { initialS: 60, subsequentS: 60 } : { initialS: 1, subsequentS: 1 };
}

/** Seconds charged: the first increment, then whole subsequent increments (zero for an unanswered call). */
export function billedSeconds(durationS: number, initialS: number, subsequentS: number): number {
  if (durationS <= 0) return 0;
  if (durationS <= initialS) return initialS;
  return initialS + Math.ceil((durationS - initialS) / subsequentS) * subsequentS;
}

/** The most specific matching row: an origin match counts more than a number-type match; ties keep table order. */
export function findRateRow(
  rates: Rates,
  call: Pick<CallToRate, 'fromCountry' | 'toCountry' | 'toNumberType'>,
): RateRow | undefined {
  let best: RateRow | undefined;
  let bestScore = -1;
  for (const row of rates.table) {
    if (row.destination_country !== call.toCountry) continue;
    if (row.origin_country !== undefined && row.origin_country !== call.fromCountry) continue;
    if (row.number_type !== undefined && row.number_type !== call.toNumberType) continue;
    const score = (row.origin_country ? 2 : 0) + (row.number_type ? 1 : 0);
    if (score > bestScore) {
      best = row;
      bestScore = score;
    }
  }
  return best;
}

/** Rates a call leg. */
export function rateCall(call: CallToRate, rates: Rates): CallCharges {
  const row = findRateRow(rates, call);
  const defaults = defaultIncrements(call.toCountry);
  const durationS = Math.max(0, Math.ceil(call.durationS));
  const billed = billedSeconds(
    durationS,
    row?.initial_increment_s ?? defaults.initialS,
    row?.subsequent_increment_s ?? defaults.subsequentS,
  );
  const baseUnits = usdToUnits(row?.rate_per_minute_usd ?? rates.default_rate_per_minute_usd);
  const secureUnits = call.secureTrunking ? usdToUnits(rates.secure_trunking_rate_per_minute_usd) : 0;
  const rateUnits = baseUnits + secureUnits;
  return {
    bill_duration: durationS,
    billed_duration: billed,
    total_rate: formatUsd(rateUnits),
    total_amount: formatUsd((rateUnits * billed) / 60),
    secure_trunking_rate: formatUsd(secureUnits),
    rateRow: row,
  };
}
