// When to send the next RTCP compound packet (RFC 3550 §6.3.1 and §6.2). For a two-party G.711 call the computed
// interval (RTCP bandwidth = 5 % of ~80 kb/s shared by two members) is far below the 5 s minimum, so the
// deterministic interval Td is simply the minimum — halved before the first report (§6.2 "initial" rule, so that
// a new participant is reported quickly). The interval is then randomised to [0.5, 1.5] · Td, so that
// participants do not synchronise, and divided by e − 3/2 to compensate for the timer reconsideration that
// §6.3.5 applies (the mean interval stays near Td). Reconsideration itself is not needed with two members.

/** RFC 3550's recommended minimum RTCP interval. */
export const RTCP_MIN_INTERVAL_MS = 5000;
/** e − 3/2 (RFC 3550 §6.3.1 and Appendix A.7). */
const COMPENSATION = Math.E - 1.5;

/** The next RTCP interval in ms; `random` gives values in [0, 1). */
export function rtcpIntervalMs(
  random: () => number,
  options: { initial?: boolean; minIntervalMs?: number } = {},
): number {
  const minimum = options.minIntervalMs ?? RTCP_MIN_INTERVAL_MS;
  const deterministic = options.initial ? minimum / 2 : minimum;
  return (deterministic * (0.5 + random())) / COMPENSATION;
}
