// Zentrunk writes money as strings with five decimals (`"0.01500"`, BEHAVIOUR.md §14.6). Amounts are computed
// in integer units of 1e-7 USD and rounded half-up to 1e-5 USD once, at the end, so no float error reaches a
// CDR.

/** Integer units per USD used for rates and intermediate amounts. */
export const UNITS_PER_USD = 10_000_000;
const UNITS_PER_CDR_DIGIT = 100; // 1e-7 → 1e-5

/** A USD amount in 1e-7 units (rates are given with up to seven decimals). */
export function usdToUnits(usd: number): number {
  return Math.round(usd * UNITS_PER_USD);
}

/** Formats 1e-7 units as Zentrunk's five-decimal string, rounding half-up. */
export function formatUsd(units: number): string {
  const cdrUnits = Math.floor((units + UNITS_PER_CDR_DIGIT / 2) / UNITS_PER_CDR_DIGIT);
  const whole = Math.floor(cdrUnits / 100_000);
  const fraction = cdrUnits % 100_000;
  return `${whole}.${String(fraction).padStart(5, '0')}`;
}
