// Zentrunk writes CDR times as UTC `YYYY-MM-DD HH:MM:SS` and accepts `YYYY-MM-DD HH:MM[:ss[.uuuuuu]]` in its
// `end_time` filters (BEHAVIOUR.md §14.6). Both are parsed strictly here: a 31st of February or a 24th hour is
// refused rather than rolled over by `Date.UTC`.

const CDR_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const FILTER_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Formats epoch milliseconds as a CDR time (UTC, truncated to the second). */
export function formatZentrunkTime(epochMs: number): string {
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  return (
    `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/** Epoch milliseconds of valid calendar fields, or undefined when any field is out of range. */
function utcMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number | undefined {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  const valid =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  return valid ? ms : undefined;
}

/** Epoch milliseconds of a CDR time (`YYYY-MM-DD HH:MM:SS`), or undefined when it is not one. */
export function parseZentrunkTime(text: string): number | undefined {
  const m = CDR_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return utcMs(y, mo, d, h, mi, s);
}

/**
 * Epoch milliseconds (fractional below the millisecond) of an `end_time` filter value
 * (`YYYY-MM-DD HH:MM[:ss[.uuuuuu]]`, UTC), or undefined when it is not one.
 */
export function parseZentrunkFilterTime(text: string): number | undefined {
  const m = FILTER_TIME.exec(text);
  if (!m) return undefined;
  const ms = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (ms === undefined) return undefined;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  return ms + fraction;
}

/** Epoch milliseconds of 00:00 UTC on a `YYYY-MM-DD` date, or undefined. */
export function parseUtcDate(text: string): number | undefined {
  const m = DATE.exec(text);
  return m ? utcMs(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** The UTC start and (exclusive) end of a `YYYY-MM` calendar month in epoch milliseconds, or undefined. */
export function parseUtcMonth(text: string): { startMs: number; endMs: number } | undefined {
  const m = MONTH.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const startMs = utcMs(year, month, 1);
  if (startMs === undefined) return undefined;
  return { startMs, endMs: Date.UTC(year, month, 1) };
}
