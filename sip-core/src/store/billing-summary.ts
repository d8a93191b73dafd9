// What the §12.5 short-duration surcharges need from a calendar month's CDRs, aggregated in SQL: per
// destination country, the volume, the abandoned (0 s) and short (1–6 s) calls, and the totals. The surcharge
// arithmetic itself (20 % thresholds, India excluded, USD per excess call) is policy's `monthlySurcharges`;
// the store only counts, so a month of a million calls is one indexed range scan, not a million objects.

import type { CallDirection, RecordedBy } from './call-detail-record.js';

export interface BillingSummaryOptions {
  /** `YYYY-MM`: the calendar month of `end_time`, UTC. */
  readonly month: string;
  readonly call_direction?: CallDirection;
  readonly recorded_by?: RecordedBy;
  /** The longest "short" call in seconds (§12.5: 6). */
  readonly shortMaxS?: number;
}

/** One destination country's month. */
export interface BillingCountryRow {
  /** ISO 3166 alpha-2, or null when the destination's country was unknown. */
  readonly to_country: string | null;
  readonly calls: number;
  /** `bill_duration` 0. */
  readonly abandoned_calls: number;
  /** `bill_duration` from 1 to `shortMaxS`. */
  readonly short_calls: number;
  readonly bill_duration_s: number;
  readonly billed_duration_s: number;
  /** Sum of `total_amount`, five decimals. */
  readonly total_amount: string;
}

export const DEFAULT_SHORT_MAX_S = 6;
