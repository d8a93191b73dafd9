import { compactNtpToMs } from './ntp-timestamp.js';

/**
 * The round-trip time seen by the sender of a sender report (RFC 3550 §6.4.1, Figure 2): when a report block about
 * our stream arrives at compact NTP time `arrival`, RTT = arrival − LSR − DLSR. Returns milliseconds, or undefined
 * when the block cannot yield one: LSR 0 means the peer has not received a sender report from us yet, and a result
 * that would be negative means the clocks or the fields are inconsistent (the subtraction wraps modulo 2^32).
 */
export function roundTripTimeMs(
  arrivalCompactNtp: number,
  lastSenderReport: number,
  delaySinceLastSenderReport: number,
): number | undefined {
  if (lastSenderReport === 0) return undefined;
  const units = (arrivalCompactNtp - lastSenderReport - delaySinceLastSenderReport) >>> 0;
  if (units >= 0x8000_0000) return undefined;
  return compactNtpToMs(units);
}
