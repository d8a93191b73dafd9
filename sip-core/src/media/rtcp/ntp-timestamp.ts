// NTP timestamps as RTCP carries them (RFC 3550 §4): seconds since 1 January 1900 in the high 32 bits, the
// fraction of a second in the low 32 bits. Sender reports carry the full 64 bits; report blocks carry the middle 32
// bits ("compact" NTP, units of 1/65536 s) in LSR and DLSR, which is what round-trip times are computed from.

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
export const NTP_UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800;
const TWO_POW_32 = 0x1_0000_0000;
/** Compact NTP units per second (RFC 3550 §6.4.1: DLSR is in units of 1/65536 s). */
export const COMPACT_NTP_UNITS_PER_SECOND = 65_536;

export interface NtpTimestamp {
  /** Whole seconds since 1900, modulo 2^32 (era 0 ends in 2036; the wrap keeps the arithmetic right). */
  readonly seconds: number;
  /** Fraction of a second in units of 2^-32 s. */
  readonly fraction: number;
}

/** Converts milliseconds since the Unix epoch (e.g. `Clock.wallNow()`) to an NTP timestamp. */
export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const wholeSeconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - wholeSeconds * 1000) / 1000) * TWO_POW_32);
  return {
    seconds: (wholeSeconds + NTP_UNIX_EPOCH_OFFSET_SECONDS) >>> 0,
    fraction: Math.min(fraction, TWO_POW_32 - 1),
  };
}

/** Converts an NTP timestamp (era 0) back to milliseconds since the Unix epoch. */
export function unixMsFromNtp(ntp: NtpTimestamp): number {
  return (ntp.seconds - NTP_UNIX_EPOCH_OFFSET_SECONDS) * 1000 + (ntp.fraction / TWO_POW_32) * 1000;
}

/** The middle 32 bits of an NTP timestamp: the LSR field of a report block. */
export function compactNtp(ntp: NtpTimestamp): number {
  return (((ntp.seconds & 0xffff) << 16) | (ntp.fraction >>> 16)) >>> 0;
}

/** Compact NTP of a Unix time in milliseconds. */
export function compactNtpFromUnixMs(unixMs: number): number {
  return compactNtp(ntpFromUnixMs(unixMs));
}

/** A duration in milliseconds as compact NTP units (DLSR), saturating at the field's 32 bits. */
export function durationMsToCompactNtp(durationMs: number): number {
  const units = Math.floor((Math.max(0, durationMs) * COMPACT_NTP_UNITS_PER_SECOND) / 1000);
  return Math.min(units, TWO_POW_32 - 1);
}

/** Compact NTP units as milliseconds. */
export function compactNtpToMs(units: number): number {
  return (units * 1000) / COMPACT_NTP_UNITS_PER_SECOND;
}
