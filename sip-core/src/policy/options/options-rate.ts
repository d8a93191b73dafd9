// The OPTIONS ping policy (BEHAVIOUR.md §3, §11, §20): pings go to the outbound trunk at most once per 10–15 s.
// More than one per 10 s from one source to one trunk raises a warning; more than one per 5 s sustained for
// 60 s blocks the source for 5 minutes. A pure function over the ping history: the emulator keeps the history
// and the block expiry and passes them in.

import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from '../settings/policy-settings.js';

/**
 * The level of one source towards one trunk. The emulator holds only the ping history and `blockedUntilMs`;
 * the level is recomputed on every ping.
 *
 * ```
 *            >1 ping per 10 s                 >1 per 5 s sustained 60 s
 *   ok ─────────────────────────► warn ─────────────────────────────────► blocked
 *    ▲  ◄──────────────────────── │                                         │
 *    │     back under the rate                                              │
 *    └──────────────────────────────────────────────────────────────────────┘
 *                       5 minutes later (blockedUntilMs passed)
 * ```
 */
export type OptionsRateLevel = 'ok' | 'warn' | 'blocked';

export interface OptionsRateAssessment {
  readonly level: OptionsRateLevel;
  /** When a block ends (a new block, or the one in force); undefined when not blocked. */
  readonly blockedUntilMs: number | undefined;
  /** A sentence for the visible event. */
  readonly reason: string;
}

/**
 * Assesses a source's OPTIONS pings. `historyMs` holds ping times in ascending order, the current ping last;
 * `blockedUntilMs` is the expiry of a block already in force, if any.
 */
export function assessOptionsRate(
  historyMs: readonly number[],
  nowMs: number,
  blockedUntilMs: number | undefined,
  settings: PolicySettings = DEFAULT_POLICY_SETTINGS,
): OptionsRateAssessment {
  const rate = settings.optionsRate;
  if (rate.blocking && blockedUntilMs !== undefined && blockedUntilMs > nowMs) {
    return {
      level: 'blocked',
      blockedUntilMs,
      reason: `This source is blocked for OPTIONS flooding for ${Math.ceil((blockedUntilMs - nowMs) / 1000)} s more`,
    };
  }
  const pings = historyMs.filter((t) => t <= nowMs);
  const last = pings.length - 1;
  // The sustained run: consecutive pings each less than blockIntervalMs after the previous one, ending now.
  let start = last;
  while (start > 0 && (pings[start] ?? 0) - (pings[start - 1] ?? 0) < rate.blockIntervalMs) start -= 1;
  const sustainedMs = last > start ? (pings[last] ?? 0) - (pings[start] ?? 0) : 0;
  if (sustainedMs >= rate.blockSustainMs) {
    const reason = `OPTIONS more often than once per ${rate.blockIntervalMs / 1000} s for ${Math.round(sustainedMs / 1000)} s`;
    if (rate.blocking) {
      return {
        level: 'blocked',
        blockedUntilMs: nowMs + rate.blockDurationMs,
        reason: `${reason}: the source is blocked for ${rate.blockDurationMs / 1000} s`,
      };
    }
    return { level: 'warn', blockedUntilMs: undefined, reason: `${reason} (blocking is off)` };
  }
  const recent = pings.filter((t) => t > nowMs - rate.warnIntervalMs).length;
  if (recent > 1) {
    return {
      level: 'warn',
      blockedUntilMs: undefined,
      reason: `${recent} OPTIONS in ${rate.warnIntervalMs / 1000} s; Zentrunk allows one per 10–15 s`,
    };
  }
  return { level: 'ok', blockedUntilMs: undefined, reason: 'OPTIONS rate within limits' };
}

/** Drops pings too old to matter, so the emulator's history stays small. */
export function pruneOptionsHistory(
  historyMs: readonly number[],
  nowMs: number,
  settings: PolicySettings = DEFAULT_POLICY_SETTINGS,
): number[] {
  const rate = settings.optionsRate;
  const keepMs = Math.max(rate.warnIntervalMs, rate.blockSustainMs + rate.blockIntervalMs);
  return historyMs.filter((t) => t > nowMs - keepMs);
}
